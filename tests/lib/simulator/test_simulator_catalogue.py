import pytest
from libcloud.common.exceptions import BaseHTTPError
from libcloud.compute.base import NodeImage, NodeLocation, NodeSize


def test_images(driver):
    images = driver.list_images()
    assert 4 <= len(images) <= 6
    assert all(isinstance(i, NodeImage) for i in images)
    ids = [i.id for i in images]
    assert 'img-ubuntu-24.04' in ids and len(set(ids)) == len(ids)
    assert driver.get_image('img-debian-12').name.startswith('Debian')


def test_get_unknown_image_is_404(driver):
    with pytest.raises(BaseHTTPError) as excinfo:
        driver.get_image('img-nope')
    assert excinfo.value.code == 404
    assert 'img-nope' in excinfo.value.message


def test_sizes(driver):
    sizes = driver.list_sizes()
    assert 3 <= len(sizes) <= 5
    assert all(isinstance(s, NodeSize) for s in sizes)
    assert 'small' in [s.id for s in sizes]
    for size in sizes:
        assert size.ram > 0 and size.disk > 0 and size.bandwidth > 0
        assert size.price > 0


def test_locations(driver):
    locations = driver.list_locations()
    assert 2 <= len(locations) <= 3
    assert all(isinstance(loc, NodeLocation) for loc in locations)
    assert len({loc.id for loc in locations}) == len(locations)


def test_catalogue_is_stable_between_instances(driver, make_driver):
    other = make_driver()
    assert [i.id for i in driver.list_images()] == [
        i.id for i in other.list_images()
    ]
    assert [s.id for s in driver.list_sizes()] == [
        s.id for s in other.list_sizes()
    ]
