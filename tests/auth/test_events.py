"""/v1/events: the audit trail of every change, for admins."""

import datetime

import pytest


def _events(client, query=''):
    response = client.get('/v1/events' + query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()['events']


def _create_node(call, token, cloud='default', name='web-1'):
    return call(
        'POST',
        '/v1/clouds/%s/nodes' % cloud,
        token,
        json={'name': name, 'size': 'small', 'image': 'img-ubuntu-24.04'},
    )


def test_a_change_is_recorded_with_who_what_where_and_outcome(
    client, call, make_token
):
    operator = make_token('operator', name='deployer')
    created = call(
        'POST',
        '/v1/clouds/default/nodes',
        operator,
        json={'name': 'web-1', 'size': 'small', 'image': 'img-ubuntu-24.04'},
        headers={'X-Request-Id': '0c0ffee0c0ffee01'},
    )
    assert created.status_code == 201
    node_id = created.get_json()['node']['id']
    rebooted = call(
        'POST',
        '/v1/clouds/default/nodes/%s/action' % node_id,
        operator,
        json={'action': 'reboot'},
    )
    [reboot, create] = _events(client)
    assert create['token']['name'] == 'deployer' and create['token']['id']
    assert create['method'] == 'POST'
    assert create['route'] == '/v1/clouds/<cloud_name>/nodes'
    assert create['path'] == '/v1/clouds/default/nodes'
    assert create['action'] == 'nodes.create_node'
    assert create['cloud'] == 'default'
    assert create['resource_id'] == node_id
    assert create['status'] == 201
    assert create['request_id'] == '0c0ffee0c0ffee01'
    assert datetime.datetime.fromisoformat(create['time'])
    assert reboot['action'] == 'nodes.act_on_node:reboot'
    assert reboot['resource_id'] == node_id
    assert reboot['status'] == rebooted.status_code


def test_reads_are_not_recorded_but_refusals_are(client, call, make_token):
    reader = make_token('reader', name='looker')
    call('GET', '/v1/clouds', reader)
    call('GET', '/v1/nodes', reader)
    denied = _create_node(call, reader)
    assert denied.status_code == 403
    [event] = _events(client)
    assert event['token']['name'] == 'looker' and event['status'] == 403


def test_requests_without_a_valid_token_are_not_recorded(client, call):
    _create_node(call, None)
    _create_node(call, 'mwt_' + 'x' * 43)
    assert _events(client) == []


def test_failed_changes_are_recorded_with_their_status(client):
    client.delete('/v1/clouds/default/nodes/no-such-node')
    [event] = _events(client)
    assert event['status'] == 404
    assert event['resource_id'] == 'no-such-node'


def test_filters_by_cloud_and_token(client, call, make_token):
    first = make_token('operator', name='first')
    second = make_token('operator', name='second')
    _create_node(call, first, 'default', 'a')
    _create_node(call, second, 'sim-b', 'b')
    assert [e['cloud'] for e in _events(client, '?cloud=sim-b')] == ['sim-b']
    by_first = _events(client)[-1]['token']['id']
    assert [
        e['token']['name'] for e in _events(client, '?token=' + by_first)
    ] == ['first']


def test_filters_by_time_range(client):
    before = datetime.datetime.now(datetime.timezone.utc)
    client.delete('/v1/clouds/default/nodes/n-1')
    after = datetime.datetime.now(datetime.timezone.utc)
    assert (
        len(
            _events(
                client, '?since=' + before.isoformat().replace('+00:00', 'Z')
            )
        )
        == 1
    )
    assert (
        _events(
            client,
            '?since='
            + (after + datetime.timedelta(seconds=1))
            .isoformat()
            .replace('+00:00', 'Z'),
        )
        == []
    )
    assert (
        _events(client, '?until=' + before.strftime('%Y-%m-%dT%H:%M:%S')) == []
    )
    assert (
        len(
            _events(
                client,
                '?until='
                + (after + datetime.timedelta(seconds=1))
                .isoformat()
                .replace('+', '%2B'),
            )
        )
        == 1
    )


@pytest.mark.parametrize(
    'query, field',
    [
        ('?since=yesterday', 'since'),
        ('?until=2026-13-45', 'until'),
        ('?limit=0', 'limit'),
        ('?marker=no-such-event', 'marker'),
        ('?sort=time', 'sort'),
    ],
)
def test_bad_parameters_are_400_naming_them(client, query, field):
    response = client.get('/v1/events' + query)
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == field


def test_pages_follow_the_marker_newest_first(client):
    for index in range(5):
        client.delete('/v1/clouds/default/nodes/n-%d' % index)
    seen, query = [], '?limit=2'
    while True:
        page = client.get('/v1/events' + query).get_json()
        seen.extend(e['resource_id'] for e in page['events'])
        if page['next_marker'] is None:
            break
        query = '?limit=2&marker=' + page['next_marker']
    assert seen == ['n-4', 'n-3', 'n-2', 'n-1', 'n-0']


def test_a_limited_admin_sees_the_events_of_its_clouds(
    call, client, make_token
):
    client.delete('/v1/clouds/default/nodes/n-a')
    client.delete('/v1/clouds/sim-b/nodes/n-b')
    client.post('/v1/tokens', json={'role': 'reader'})
    admin_b = make_token('admin', clouds=['sim-b'])
    events = call('GET', '/v1/events', admin_b).get_json()['events']
    assert [e['resource_id'] for e in events] == ['n-b']


def test_a_refused_huge_body_is_recorded_too(app, client, caplog):
    huge = '{"name": "%s"}' % ('x' * app.config['MAX_CONTENT_LENGTH'])
    response = client.post(
        '/v1/clouds/default/nodes', data=huge, content_type='application/json'
    )
    assert response.status_code == 413
    [event] = _events(client)
    assert (event['action'], event['status']) == ('nodes.create_node', 413)
    assert 'could not be stored' not in caplog.text
