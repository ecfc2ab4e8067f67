"""A node or volume is gone only when its provider no longer lists it."""

import time

import pytest

BODY = {'name': 'doomed', 'size': 'small', 'image': 'img-debian-12'}


@pytest.fixture
def farm_config(farm_config):
    # A provider that accepts deletes and keeps what it was told to delete.
    farm_config['sticky'] = {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {'boot_time': 0, 'keep_deleted': True},
    }
    return farm_config


@pytest.fixture
def app_config(app_config):
    return dict(app_config, DELETE_CONFIRM_SECONDS=1)


def test_a_deleted_node_is_gone_once_the_provider_drops_it(client):
    made = client.post('/v1/clouds/sim-b/nodes', json=BODY).json['node']
    url = '/v1/clouds/sim-b/nodes/%s' % made['id']
    assert client.delete(url).status_code == 202
    assert client.get(url).status_code == 404
    listed = client.get('/v1/clouds/sim-b/nodes').json['nodes']
    assert made['id'] not in [n['id'] for n in listed]


def test_a_node_the_provider_keeps_is_deleting_then_delete_failed(client):
    made = client.post('/v1/clouds/sticky/nodes', json=BODY).json['node']
    url = '/v1/clouds/sticky/nodes/%s' % made['id']
    assert client.delete(url).status_code == 202
    shown = client.get(url).json['node']
    assert shown['state'] == 'deleting'
    assert shown['actions'] == []
    listed = client.get('/v1/clouds/sticky/nodes?fresh=true').json['nodes']
    assert [n['state'] for n in listed if n['id'] == made['id']] == [
        'deleting'
    ]
    time.sleep(1.2)
    listed = client.get('/v1/clouds/sticky/nodes?fresh=true').json['nodes']
    [node] = [n for n in listed if n['id'] == made['id']]
    assert node['state'] == 'delete_failed'
    assert 'still lists it' in node['extra']['delete_error']
    assert client.get(url).json['node']['state'] == 'delete_failed'
    by_state = client.get('/v1/clouds/sticky/nodes?state=delete_failed')
    assert [n['id'] for n in by_state.json['nodes']] == [made['id']]


def test_a_volume_the_provider_keeps_is_deleting_then_delete_failed(client):
    made = client.post(
        '/v1/clouds/sticky/volumes', json={'name': 'v1', 'size': 1}
    ).json['volume']
    url = '/v1/clouds/sticky/volumes/%s' % made['id']
    assert client.delete(url).status_code == 204
    assert client.get(url).json['volume']['state'] == 'deleting'
    time.sleep(1.2)
    client.get('/v1/clouds/sticky/volumes?fresh=true')
    volume = client.get(url).json['volume']
    assert volume['state'] == 'delete_failed'
    assert 'still lists it' in volume['extra']['delete_error']


def test_a_deleted_volume_is_gone_once_the_provider_drops_it(client):
    made = client.post(
        '/v1/clouds/sim-b/volumes', json={'name': 'v2', 'size': 1}
    ).json['volume']
    url = '/v1/clouds/sim-b/volumes/%s' % made['id']
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
