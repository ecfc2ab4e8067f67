"""OpenStack on mimic: what python-novaclient sees of what the service does,
and the provider's refusals in its own words."""

import importlib.util

import pytest

from tests.backends.emulators import unavailable
from tests.backends.farm_entries import openstack_entry


@pytest.fixture
def account(mimic):
    return mimic.account()


@pytest.fixture
def farm_config(mimic, account):
    user, tenant = account
    return {'os': openstack_entry(mimic.auth_url, user, tenant)}


@pytest.fixture
def nova(mimic, account):
    """python-novaclient, logged in to the same tenant."""
    if importlib.util.find_spec('novaclient') is None:
        unavailable('python-novaclient', 'pip install python-novaclient')
    return mimic.nova_client(*account)


def _create(client, name):
    image = client.get('/v1/clouds/os/images?limit=1').get_json()
    size = client.get('/v1/clouds/os/sizes?limit=1').get_json()
    response = client.post(
        '/v1/clouds/os/nodes',
        json={
            'name': name,
            'image': image['images'][0]['id'],
            'size': size['sizes'][0]['id'],
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()['node']


def test_created_server_exists_with_its_name(client, nova):
    node = _create(client, 'nova-check-1')
    server = nova.servers.get(node['id'])
    assert server.name == 'nova-check-1'
    assert server.status == 'ACTIVE'


def test_reboot_then_destroy_reach_the_server(client, nova, mimic):
    node = _create(client, 'nova-check-2')
    url = '/v1/clouds/os/nodes/%s' % node['id']
    assert (
        client.post(url + '/action', json={'action': 'reboot'}).status_code
        == 202
    )
    assert nova.servers.get(node['id']).status in ('REBOOT', 'HARD_REBOOT')
    mimic.tick(10)
    assert nova.servers.get(node['id']).status == 'ACTIVE'
    assert client.delete(url).status_code == 202
    assert node['id'] not in [s.id for s in nova.servers.list()]
    assert client.get(url).status_code == 404


def test_server_made_by_nova_is_listed_with_its_name(client, nova):
    image_id = client.get('/v1/clouds/os/images?limit=1').get_json()['images'][
        0
    ]['id']
    server = nova.servers.create(
        'from-nova', image_id, nova.flavors.list()[0].id
    )
    nodes = client.get('/v1/clouds/os/nodes').get_json()['nodes']
    assert [n['name'] for n in nodes if n['id'] == server.id] == ['from-nova']


def test_imported_then_deleted_key_pair(client, nova):
    key = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDcheck nova@example'
    created = client.post(
        '/v1/clouds/os/key_pairs', json={'name': 'kp-nova', 'public_key': key}
    )
    assert created.status_code == 201, created.get_json()
    assert 'kp-nova' in [k.name for k in nova.keypairs.list()]
    assert client.delete('/v1/clouds/os/key_pairs/kp-nova').status_code == 204
    assert 'kp-nova' not in [k.name for k in nova.keypairs.list()]


def test_unknown_image_is_400_naming_cloud_and_nova_message(client):
    size = client.get('/v1/clouds/os/sizes?limit=1').get_json()
    response = client.post(
        '/v1/clouds/os/nodes',
        json={
            'name': 'x-3',
            'size': size['sizes'][0]['id'],
            'image': 'no-such-image',
        },
    )
    assert response.status_code == 400, response.get_json()
    error = response.get_json()['error']
    assert error['cloud'] == 'os' and error['field'] == 'image'
    assert "'os'" in error['message'] and 'Image not found' in error['message']
