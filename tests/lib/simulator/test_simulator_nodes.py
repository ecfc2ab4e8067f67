import json
import time

import pytest
from libcloud.common.exceptions import BaseHTTPError
from libcloud.compute.base import Node, NodeDriver
from libcloud.compute.types import NodeState

from dispatcher.lib.simulator import SimulatorNodeDriver


def http_code(excinfo):
    assert type(excinfo.value) is BaseHTTPError
    return excinfo.value.code


def test_is_a_libcloud_node_driver(driver):
    assert isinstance(driver, NodeDriver)
    assert SimulatorNodeDriver.type == 'simulator'
    assert SimulatorNodeDriver.name == 'Simulated cloud'
    assert driver.connection.driver is driver


def test_create_node_honours_name_and_ids_are_unique(driver):
    nodes = [
        driver.create_node('web-%d' % i, 'small', 'img-ubuntu-24.04')
        for i in range(5)
    ]
    assert [n.name for n in nodes] == ['web-%d' % i for i in range(5)]
    assert all(isinstance(n, Node) for n in nodes)
    assert len({n.id for n in nodes}) == 5
    assert len({n.public_ips[0] for n in nodes}) == 5
    assert len({n.private_ips[0] for n in nodes}) == 5
    assert nodes[0].public_ips == ['203.0.113.1']
    assert nodes[0].private_ips[0].startswith('10.')
    assert [n.id for n in driver.list_nodes()] == [n.id for n in nodes]


def test_create_node_accepts_objects_and_records_extra(driver):
    size = driver.list_sizes()[1]
    image = driver.list_images()[2]
    location = driver.list_locations()[1]
    node = driver.create_node('db', size, image, location=location)
    assert node.extra['size_id'] == size.id
    assert node.extra['image_id'] == image.id
    assert node.extra['location_id'] == location.id
    assert node.extra['key_name'] is None
    assert node.extra['created_at'].startswith(
        node.created_at.isoformat()[:19]
    )
    json.dumps(node.extra)
    assert all(
        v is None or isinstance(v, (str, int, float, bool))
        for v in node.extra.values()
    )
    assert node.size.id == size.id and node.image.id == image.id


def test_destroyed_ids_are_not_reused_and_addresses_stay_unique(driver):
    first = driver.create_node('a', 'small', 'img-debian-12')
    driver.destroy_node(first)
    second = driver.create_node('a', 'small', 'img-debian-12')
    assert second.id != first.id
    assert second.public_ips != first.public_ips


@pytest.mark.parametrize(
    'kwargs, word',
    [
        ({'name': ''}, 'name'),
        ({'name': '   '}, 'name'),
        ({'name': None}, 'name'),
        ({'size': 'huge'}, "size 'huge' does not exist"),
        ({'image': 'img-windows'}, "image 'img-windows' does not exist"),
        ({'location': 'mars-1a'}, "location 'mars-1a' does not exist"),
        ({'ex_keyname': 'nobody'}, "key pair 'nobody' does not exist"),
    ],
)
def test_create_node_rejects_bad_arguments_with_400(driver, kwargs, word):
    arguments = dict(name='n', size='small', image='img-ubuntu-24.04')
    arguments.update(kwargs)
    with pytest.raises(BaseHTTPError) as excinfo:
        driver.create_node(**arguments)
    assert http_code(excinfo) == 400
    assert word in excinfo.value.message
    assert driver.list_nodes() == []


def test_pending_becomes_running_after_boot_time(make_driver):
    driver = make_driver(boot_time=0.2)
    node = driver.create_node('slow', 'small', 'img-ubuntu-24.04')
    assert node.state == NodeState.PENDING
    assert driver.ex_get_node(node.id).state == NodeState.PENDING
    deadline = time.monotonic() + 5
    while driver.ex_get_node(node.id).state != NodeState.RUNNING:
        assert time.monotonic() < deadline, 'node never became RUNNING'
        time.sleep(0.02)
    assert driver.list_nodes()[0].state == NodeState.RUNNING


def test_zero_boot_time_is_running_at_once(driver):
    node = driver.create_node('fast', 'small', 'img-ubuntu-24.04')
    assert node.state == NodeState.RUNNING


def test_reboot_stop_start_destroy_transitions(make_driver):
    driver = make_driver(boot_time=0.3)
    node = driver.create_node('n', 'small', 'img-ubuntu-24.04')
    for action in (driver.reboot_node, driver.stop_node):
        with pytest.raises(BaseHTTPError) as excinfo:
            action(node)  # still PENDING
        assert http_code(excinfo) == 409
    driver.boot_time = 0
    time.sleep(0.35)
    assert driver.ex_get_node(node.id).state == NodeState.RUNNING
    assert driver.reboot_node(node) is True
    assert driver.ex_get_node(node.id).state == NodeState.RUNNING
    driver.boot_time = 60
    assert driver.reboot_node(node) is True
    assert driver.ex_get_node(node.id).state == NodeState.REBOOTING
    driver.boot_time = 0
    time.sleep(0.01)
    with pytest.raises(BaseHTTPError):  # REBOOTING is not RUNNING
        driver.stop_node(node)
    driver2 = make_driver(boot_time=0)
    node2 = driver2.create_node('m', 'small', 'img-ubuntu-24.04')
    assert driver2.stop_node(node2) is True
    assert driver2.ex_get_node(node2.id).state == NodeState.STOPPED
    assert driver2.start_node(node2) is True
    assert driver2.ex_get_node(node2.id).state == NodeState.RUNNING
    assert driver2.destroy_node(node) is True
    assert driver2.destroy_node(node2.id) is True
    assert driver2.list_nodes() == []


def test_start_after_stop_goes_through_pending(make_driver):
    driver = make_driver(boot_time=0)
    node = driver.create_node('n', 'small', 'img-ubuntu-24.04')
    driver.stop_node(node)
    driver.boot_time = 60
    driver.start_node(node)
    assert driver.ex_get_node(node.id).state == NodeState.PENDING


@pytest.mark.parametrize(
    'action, setup, state',
    [
        ('stop_node', ['stop_node'], 'stopped'),
        ('start_node', [], 'running'),
        ('reboot_node', ['stop_node'], 'stopped'),
    ],
)
def test_invalid_transition_is_409(driver, action, setup, state):
    node = driver.create_node('n', 'small', 'img-ubuntu-24.04')
    for step in setup:
        getattr(driver, step)(node)
    with pytest.raises(BaseHTTPError) as excinfo:
        getattr(driver, action)(node)
    assert http_code(excinfo) == 409
    assert state in excinfo.value.message
    assert driver.ex_get_node(node.id).state.value == state


@pytest.mark.parametrize(
    'action',
    ['reboot_node', 'stop_node', 'start_node', 'destroy_node', 'ex_get_node'],
)
def test_unknown_or_destroyed_node_is_404(driver, action):
    node = driver.create_node('n', 'small', 'img-ubuntu-24.04')
    driver.destroy_node(node)
    for target in (node, node.id, 'abc'):
        with pytest.raises(BaseHTTPError) as excinfo:
            getattr(driver, action)(target)
        assert http_code(excinfo) == 404
    assert excinfo.value.message == "node 'abc' not found"
