"""Bad input: every field checked, 400 naming it, nothing created."""

import pytest

NODE = {'name': 'web-1', 'size': 'small', 'image': 'img-ubuntu-24.04'}


def _without(body, field):
    return {k: v for k, v in body.items() if k != field}


@pytest.mark.parametrize(
    'body, field',
    [
        (_without(NODE, 'name'), 'name'),
        (_without(NODE, 'size'), 'size'),
        (_without(NODE, 'image'), 'image'),
        (dict(NODE, name=''), 'name'),
        (dict(NODE, name='web 1'), 'name'),
        (dict(NODE, name='-web'), 'name'),
        (dict(NODE, name='x' * 65), 'name'),
        (dict(NODE, name=7), 'name'),
        (dict(NODE, size=''), 'size'),
        (dict(NODE, image=['a']), 'image'),
        (dict(NODE, location=1), 'location'),
        (dict(NODE, key_name='bad key'), 'key_name'),
        (dict(NODE, colour='red'), 'colour'),
        (dict(NODE, size='huge'), 'size'),
        (dict(NODE, image='img-nope'), 'image'),
        (dict(NODE, location='mars-1a'), 'location'),
    ],
)
def test_node_create_rejects_bad_field(client, body, field):
    response = client.post('/v1/clouds/default/nodes', json=body)
    assert response.status_code == 400
    error = response.get_json()['error']
    assert error['field'] == field
    assert field in error['message']
    assert client.get('/v1/clouds/default/nodes').get_json()['nodes'] == []


@pytest.mark.parametrize('body', [[], 'text', 3])
def test_body_that_is_not_an_object_is_400(client, body):
    response = client.post('/v1/clouds/default/nodes', json=body)
    assert response.status_code == 400
    assert response.get_json()['error']['code'] in (
        'invalid_field',
        'invalid_json',
    )


def test_body_that_is_not_json_is_415(client):
    response = client.post(
        '/v1/clouds/default/nodes',
        data='name=web',
        content_type='application/x-www-form-urlencoded',
    )
    assert response.status_code == 415
    assert response.get_json()['error']['code'] == 'unsupported_media_type'


def test_malformed_json_is_400(client):
    response = client.post(
        '/v1/clouds/default/nodes',
        data='{"name": ',
        content_type='application/json',
    )
    assert response.status_code == 400
    assert response.get_json()['error']['code'] == 'invalid_json'


def test_body_over_the_cap_is_413(client, app):
    app.config['MAX_CONTENT_LENGTH'] = 1024
    response = client.post(
        '/v1/clouds/default/nodes', json=dict(NODE, name='a' * 4096)
    )
    assert response.status_code == 413
    assert response.get_json()['error']['code'] == 'payload_too_large'


@pytest.mark.parametrize(
    'body, field',
    [
        ({}, 'action'),
        ({'action': 'explode'}, 'action'),
        ({'action': 'reboot', 'force': True}, 'force'),
    ],
)
def test_node_action_rejects_bad_field(client, body, field):
    node = client.post('/v1/clouds/sim-b/nodes', json=NODE).get_json()['node']
    response = client.post(
        '/v1/clouds/sim-b/nodes/%s/action' % node['id'], json=body
    )
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == field


@pytest.mark.parametrize(
    'body, field',
    [
        ({}, 'name'),
        ({'name': 'k/1'}, 'name'),
        ({'name': 'k1', 'public_key': ''}, 'public_key'),
        ({'name': 'k1', 'extra': 1}, 'extra'),
    ],
)
def test_key_pair_create_rejects_bad_field(client, body, field):
    response = client.post('/v1/clouds/default/key_pairs', json=body)
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == field


def test_key_pair_import_of_garbage_is_provider_rejection(client):
    response = client.post(
        '/v1/clouds/default/key_pairs',
        json={'name': 'k1', 'public_key': 'not a key'},
    )
    assert response.status_code == 400
    error = response.get_json()['error']
    assert error['code'] == 'provider_rejected'
    assert error['cloud'] == 'default'


@pytest.mark.parametrize(
    'body, field',
    [
        ({'size': 10}, 'name'),
        ({'name': 'data'}, 'size'),
        ({'name': 'data', 'size': 0}, 'size'),
        ({'name': 'data', 'size': '10'}, 'size'),
        ({'name': 'data', 'size': 10, 'iops': 3}, 'iops'),
    ],
)
def test_volume_create_rejects_bad_field(client, body, field):
    response = client.post('/v1/clouds/default/volumes', json=body)
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == field
    assert client.get('/v1/clouds/default/volumes').get_json()['volumes'] == []


@pytest.mark.parametrize(
    'body, field',
    [
        ({}, 'node_id'),
        ({'node_id': 'n', 'device': 'vdb'}, 'device'),
    ],
)
def test_volume_attach_rejects_bad_field(client, body, field):
    volume = client.post(
        '/v1/clouds/default/volumes', json={'name': 'data', 'size': 1}
    ).get_json()['volume']
    response = client.post(
        '/v1/clouds/default/volumes/%s/attach' % volume['id'], json=body
    )
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == field


@pytest.mark.parametrize(
    'query, field',
    [
        ('limit=0', 'limit'),
        ('limit=abc', 'limit'),
        ('limit=100000', 'limit'),
        ('marker=no-such-node', 'marker'),
    ],
)
def test_bad_pagination_is_400(client, query, field):
    response = client.get('/v1/clouds/default/nodes?' + query)
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == field
