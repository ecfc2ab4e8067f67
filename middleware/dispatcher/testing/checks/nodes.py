"""Nodes: list, show, create, act on, destroy, on every provider label."""

import pytest

from dispatcher.lib.cloud_factory.drivers import OPERATIONS
from dispatcher.lib.cloud_factory.values import ACTIONS_BY_STATE
from dispatcher.testing.cloud_api import unique_name, walk

ACTION_OPERATIONS = {
    'reboot': 'reboot_node',
    'start': 'start_node',
    'stop': 'stop_node',
}


def test_cloud_is_available_and_publishes_known_operations(api):
    response = api.client.get(api.path())
    cloud = response.get_json()['cloud']
    assert cloud['status'] == 'available', cloud['reason']
    assert cloud['provider'] == api.backend.label
    assert 'list_nodes' in cloud['capabilities']
    assert set(cloud['capabilities']) <= set(OPERATIONS)
    assert 'PASSWORD' not in str(cloud) and 'mw-test-secret' not in str(cloud)


def test_nodes_have_string_states_and_the_actions_of_their_state(api):
    api.running_nodes(1)
    for node in api.all('nodes'):
        assert isinstance(node['id'], str) and node['id']
        assert node['cloud'] == api.cloud
        assert (
            isinstance(node['state'], str)
            and node['state'] == node['state'].lower()
        )
        allowed = [
            action
            for action in ACTIONS_BY_STATE.get(node['state'], ())
            if api.supports(ACTION_OPERATIONS[action])
        ]
        assert node['actions'] == allowed


def test_show_node_answers_the_listed_node(api):
    listed = api.running_nodes(1)[0]
    shown = api.node(listed['id'])
    assert (shown['id'], shown['name'], shown['cloud']) == (
        listed['id'],
        listed['name'],
        api.cloud,
    )


def test_show_of_unknown_node_is_404_naming_the_cloud(api):
    response = api.get('nodes/no-such-node-0')
    assert response.status_code == 404
    assert response.get_json()['error']['cloud'] == api.cloud


def test_create_node_is_201_with_its_location_then_runs(api):
    name = unique_name('create')
    api.require(
        'create_node',
        lambda: api.post(
            'nodes', {'name': name, 'image': 'any', 'size': 'any'}
        ),
    )
    node = api.create_node(name)
    assert node['name'] == name and node['cloud'] == api.cloud
    assert node['state'] in ('pending', 'running')
    running = api.wait_for(node['id'], 'running')
    assert running['id'] == node['id'] and running['name'] == name
    assert node['id'] in [n['id'] for n in api.all('nodes')]


def test_create_node_with_unknown_size_is_400_naming_the_field(api):
    api.require(
        'create_node',
        lambda: api.post(
            'nodes', {'name': 'x', 'image': 'any', 'size': 'any'}
        ),
    )
    response = api.post(
        'nodes',
        {
            'name': unique_name(),
            'size': 'no-such-size',
            'image': api.catalogue_id('images', api.backend.image),
        },
    )
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == 'size'


def test_reboot_is_202_and_the_node_runs_again(api):
    node = api.running_nodes(1)[0]
    api.require('reboot_node', lambda: api.act(node['id'], 'reboot'))
    response = api.act(node['id'], 'reboot')
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body['action'] == 'reboot' and body['node']['id'] == node['id']
    assert body['node']['state'] in ('rebooting', 'running', 'pending')
    api.wait_for(node['id'], 'running')


def test_stop_then_start_keeps_the_node_id(api):
    node = api.running_nodes(1)[0]
    api.require('stop_node', lambda: api.act(node['id'], 'stop'))
    response = api.act(node['id'], 'stop')
    assert response.status_code == 202, response.get_json()
    stopped = api.wait_for(node['id'], 'stopped')
    assert stopped['actions'] == (
        ['start'] if api.supports('start_node') else []
    )
    api.require('start_node', lambda: api.act(node['id'], 'start'))
    response = api.act(node['id'], 'start')
    assert response.status_code == 202, response.get_json()
    running = api.wait_for(node['id'], 'running')
    assert running['id'] == node['id'] and running['name'] == node['name']


def test_action_invalid_in_the_node_state_is_409(api):
    node = api.running_nodes(1)[0]
    if api.supports('start_node'):
        response = api.act(node['id'], 'start')
    else:
        api.require('reboot_node', lambda: api.act(node['id'], 'reboot'))
        rebooting = api.act(node['id'], 'reboot').get_json()['node']
        if 'reboot' in rebooting['actions']:
            pytest.skip(
                '%s reboots at once: no state forbids an action it '
                'publishes' % api.cloud
            )
        response = api.act(node['id'], 'reboot')
    assert response.status_code == 409, response.get_json()
    error = response.get_json()['error']
    assert error['cloud'] == api.cloud and error['code'] == 'invalid_state'


def test_actions_the_cloud_lacks_are_501(api):
    missing = [
        a
        for a, op in sorted(ACTION_OPERATIONS.items())
        if not api.supports(op)
    ]
    if not missing:
        pytest.skip('%s publishes every node action' % api.cloud)
    node = api.running_nodes(1)[0]
    for action in missing:
        api.assert_unsupported(
            api.act(node['id'], action), ACTION_OPERATIONS[action]
        )


def test_destroy_is_202_then_the_node_is_gone_or_terminated(api):
    node = api.running_nodes(1)[0]
    api.require('destroy_node', lambda: api.delete('nodes/%s' % node['id']))
    response = api.delete('nodes/%s' % node['id'])
    assert response.status_code == 202, response.get_json()
    assert response.get_json()['action'] == 'destroy'
    after = api.get('nodes/%s' % node['id'])
    if after.status_code == 200:
        assert after.get_json()['node']['state'] in ('terminated', 'stopping')
        assert after.get_json()['node']['actions'] == []
    else:
        assert after.status_code == 404
    running = api.all('nodes', state='running')
    assert node['id'] not in [n['id'] for n in running]


def test_a_new_node_never_takes_a_destroyed_nodes_id(api):
    api.require(
        'create_node',
        lambda: api.post(
            'nodes', {'name': 'x', 'image': 'any', 'size': 'any'}
        ),
    )
    first = api.wait_for(api.create_node()['id'], 'running')
    assert api.delete('nodes/%s' % first['id']).status_code == 202
    second = api.create_node()
    assert second['id'] != first['id']
    assert api.node(second['id'])['name'] == second['name']


def test_nodes_filter_by_name_and_state(api):
    nodes = api.running_nodes(2)
    named = api.all('nodes', name=nodes[0]['name'])
    assert nodes[0]['id'] in [n['id'] for n in named]
    assert all(n['name'] == nodes[0]['name'] for n in named)
    running = api.all('nodes', state='running')
    assert {n['id'] for n in nodes} <= {n['id'] for n in running}
    assert all(n['state'] == 'running' for n in running)
    if api.supports('stop_node'):
        assert api.act(nodes[1]['id'], 'stop').status_code == 202
        api.wait_for(nodes[1]['id'], 'stopped')
        stopped = api.all('nodes', state='stopped')
        assert [n['id'] for n in stopped] == [nodes[1]['id']]
    assert api.all('nodes', name='no-such-name-at-all') == []


@pytest.mark.parametrize('limit', [1, 2])
def test_node_pages_cover_every_node_once(api, limit):
    api.running_nodes(3)
    everything = [n['id'] for n in api.all('nodes')]
    assert len(everything) >= 3
    assert walk(api.client, api.path('nodes'), 'nodes', limit) == everything
