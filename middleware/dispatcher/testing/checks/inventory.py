"""The cross-cloud listing ``GET /v1/nodes`` with each provider label."""

from dispatcher.testing.cloud_api import walk
from dispatcher.testing.clouds import PEER


def _key(node):
    return '%s:%s' % (node['cloud'], node['id'])


def test_all_nodes_lists_this_cloud_and_its_peer(api, peer):
    mine = api.running_nodes(2)
    theirs = peer.running_nodes(1)
    response = api.client.get('/v1/nodes', query_string={'limit': 1000})
    assert response.status_code == 200
    body = response.get_json()
    assert body['errors'] == []
    keys = {_key(n) for n in body['nodes']}
    assert {_key(n) for n in mine + theirs} <= keys
    assert {n['cloud'] for n in body['nodes']} == {api.cloud, PEER}


def test_all_nodes_pages_cover_every_node_of_every_cloud_once(api, peer):
    api.running_nodes(2)
    peer.running_nodes(2)
    everything = [
        _key(n)
        for n in api.client.get(
            '/v1/nodes', query_string={'limit': 1000}
        ).get_json()['nodes']
    ]
    for limit in (1, 2):
        assert (
            walk(api.client, '/v1/nodes', 'nodes', limit, key=_key)
            == everything
        )


def test_all_nodes_filters_by_cloud_state_and_name(api, peer):
    mine = api.running_nodes(1)[0]
    peer.running_nodes(1)
    only_mine = api.client.get(
        '/v1/nodes', query_string={'cloud': api.cloud, 'limit': 1000}
    ).get_json()
    assert {n['cloud'] for n in only_mine['nodes']} == {api.cloud}
    named = api.client.get(
        '/v1/nodes', query_string={'name': mine['name']}
    ).get_json()['nodes']
    assert _key(mine) in [_key(n) for n in named]
    assert all(n['name'] == mine['name'] for n in named)
    running = api.client.get(
        '/v1/nodes', query_string={'state': 'running', 'limit': 1000}
    ).get_json()['nodes']
    assert running and all(n['state'] == 'running' for n in running)
    assert _key(mine) in [_key(n) for n in running]
