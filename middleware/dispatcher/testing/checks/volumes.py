"""Volumes: create, list, attach, detach, delete, on every provider label."""

from dispatcher.testing.cloud_api import unique_name, walk


def _create(api, name=None):
    response = api.post(
        'volumes', {'name': name or unique_name('vol'), 'size': 1}
    )
    assert response.status_code == 201, response.get_json()
    volume = response.get_json()['volume']
    assert response.headers['Location'].endswith('/volumes/' + volume['id'])
    return volume


def _require_volumes(api):
    api.require(
        'create_volume', lambda: api.post('volumes', {'name': 'x', 'size': 1})
    )
    api.require('list_volumes', lambda: api.get('volumes'))


def test_create_volume_then_it_is_listed(api):
    _require_volumes(api)
    name = unique_name('vol')
    volume = _create(api, name)
    assert volume['name'] == name and volume['cloud'] == api.cloud
    assert volume['size'] == 1 and isinstance(volume['state'], str)
    listed = [v for v in api.all('volumes') if v['id'] == volume['id']]
    assert len(listed) == 1 and listed[0]['name'] == name
    shown = api.get('volumes/' + volume['id'])
    assert shown.status_code == 200
    assert shown.get_json()['volume']['id'] == volume['id']


def test_attach_then_detach_a_volume(api):
    _require_volumes(api)
    volume = _create(api)
    node = api.running_nodes(1)[0]
    api.require(
        'attach_volume',
        lambda: api.post(
            'volumes/%s/attach' % volume['id'], {'node_id': node['id']}
        ),
    )
    response = api.post(
        'volumes/%s/attach' % volume['id'], {'node_id': node['id']}
    )
    assert response.status_code == 202, response.get_json()
    assert response.get_json()['volume']['node_id'] == node['id']
    api.require(
        'detach_volume', lambda: api.post('volumes/%s/detach' % volume['id'])
    )
    response = api.post('volumes/%s/detach' % volume['id'])
    assert response.status_code == 202, response.get_json()
    assert response.get_json()['volume']['node_id'] is None


def test_delete_volume_then_it_is_gone(api):
    _require_volumes(api)
    volume = _create(api)
    api.require(
        'destroy_volume', lambda: api.delete('volumes/' + volume['id'])
    )
    assert api.delete('volumes/' + volume['id']).status_code == 204
    assert volume['id'] not in [v['id'] for v in api.all('volumes')]
    assert api.get('volumes/' + volume['id']).status_code == 404


def test_volume_pages_cover_every_volume_once(api):
    _require_volumes(api)
    for _ in range(3):
        _create(api)
    everything = [v['id'] for v in api.all('volumes')]
    for limit in (1, 2):
        assert (
            walk(api.client, api.path('volumes'), 'volumes', limit)
            == everything
        )
