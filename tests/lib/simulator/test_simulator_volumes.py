import pytest
from libcloud.common.exceptions import BaseHTTPError
from libcloud.compute.base import StorageVolume
from libcloud.compute.types import StorageVolumeState


def code_of(call, *args):
    with pytest.raises(BaseHTTPError) as excinfo:
        call(*args)
    return excinfo.value.code


@pytest.fixture
def node(driver):
    return driver.create_node('n', 'small', 'img-ubuntu-24.04')


def test_create_and_list_volumes(driver):
    volume = driver.create_volume(10, 'data')
    assert isinstance(volume, StorageVolume)
    assert volume.size == 10 and volume.name == 'data'
    assert volume.state == StorageVolumeState.AVAILABLE
    assert volume.extra['node_id'] is None
    assert volume.extra['location'] == driver.list_locations()[0].id
    other = driver.create_volume(
        5, 'logs', location=driver.list_locations()[1]
    )
    assert [v.id for v in driver.list_volumes()] == [volume.id, other.id]


@pytest.mark.parametrize('size', [0, -1, 2.5, '10', True, None])
def test_volume_size_must_be_positive_int(driver, size):
    assert code_of(driver.create_volume, size, 'data') == 400


def test_attach_and_detach(driver, node):
    first = driver.create_volume(10, 'a')
    second = driver.create_volume(10, 'b')
    assert driver.attach_volume(node, first) is True
    assert driver.attach_volume(node, second.id) is True
    first = driver.ex_get_volume(first.id)
    assert first.state == StorageVolumeState.INUSE
    assert first.extra['node_id'] == node.id
    assert first.extra['device'] == '/dev/vdb'
    assert driver.ex_get_volume(second.id).extra['device'] == '/dev/vdc'
    assert code_of(driver.attach_volume, node, first) == 409
    assert driver.detach_volume(first) is True
    detached = driver.ex_get_volume(first.id)
    assert detached.state == StorageVolumeState.AVAILABLE
    assert detached.extra['node_id'] is None
    assert detached.extra['device'] is None
    assert code_of(driver.detach_volume, first) == 409
    assert driver.attach_volume(node, first, device='/dev/vdz') is True
    assert driver.ex_get_volume(first.id).extra['device'] == '/dev/vdz'


def test_attach_rules(driver, node):
    volume = driver.create_volume(10, 'a')
    elsewhere = driver.create_volume(
        10, 'b', location=driver.list_locations()[1]
    )
    assert code_of(driver.attach_volume, node, elsewhere) == 400
    assert code_of(driver.attach_volume, node, volume, '/dev/sda') == 400
    assert code_of(driver.attach_volume, 'no-such-node', volume) == 404
    assert code_of(driver.attach_volume, node, 'no-such-volume') == 404
    driver.attach_volume(node, volume, '/dev/vdb')
    third = driver.create_volume(1, 'c')
    assert code_of(driver.attach_volume, node, third, '/dev/vdb') == 409


def test_destroy_volume_rules(driver, node):
    volume = driver.create_volume(10, 'a')
    driver.attach_volume(node, volume)
    assert code_of(driver.destroy_volume, volume) == 409
    driver.detach_volume(volume)
    assert driver.destroy_volume(volume) is True
    assert driver.list_volumes() == []
    assert code_of(driver.destroy_volume, volume) == 404
    assert code_of(driver.ex_get_volume, volume.id) == 404


def test_destroying_a_node_detaches_its_volumes(driver, node):
    volume = driver.create_volume(10, 'a')
    driver.attach_volume(node, volume)
    driver.destroy_node(node)
    volume = driver.ex_get_volume(volume.id)
    assert volume.state == StorageVolumeState.AVAILABLE
    assert volume.extra['node_id'] is None
    assert driver.destroy_volume(volume) is True
