"""``node-*`` over HTTP: list, show, create (and wait), act, delete."""

import json
import re

import pytest
from mw_output import assert_clean_failure, property_values, table_rows

NODE = ('--size', 'small', '--image', 'img-ubuntu-24.04')


@pytest.fixture
def slow_boot(farm_config):
    """Nodes of ``default`` take ten minutes to boot."""
    farm_config['default'] = dict(
        farm_config['default'], EXTRA_PARAMS={'boot_time': 600}
    )


def create(mw_json, cloud, name, *extra):
    return mw_json('node-create', cloud, '--name', name, *(NODE + extra))[
        'node'
    ]


def test_node_create_prints_the_new_node(mw):
    result = mw('node-create', 'default', '--name', 'web-1', *NODE)
    assert result.exit_code == 0, result.stderr
    values = property_values(result.stdout)
    assert values['name'] == 'web-1'
    assert values['cloud'] == 'default'
    assert values['state'] == 'pending'
    assert values['extra.location_id'] == 'sim-east-1a'


def test_node_create_json_and_options_reach_the_api(mw_json):
    mw_json('keypair-create', 'sim-b', 'deploy')
    node = create(
        mw_json,
        'sim-b',
        'db-1',
        '--location',
        'sim-eu-1a',
        '--key-name',
        'deploy',
    )
    assert node['extra']['location_id'] == 'sim-eu-1a'
    assert node['extra']['key_name'] == 'deploy'


def test_node_create_wait_polls_until_running(mw):
    result = mw(
        'node-create',
        'default',
        '--name',
        'web-2',
        *NODE,
        '--wait',
        '--timeout',
        '60',
    )
    assert result.exit_code == 0, result.stderr
    assert property_values(result.stdout)['state'] == 'running'
    # Not a terminal: one plain line per state seen, on stderr.
    lines = result.stderr.splitlines()
    assert lines[-1].startswith('node web-2 (')
    assert lines[-1].endswith('on default: running')
    assert '\r' not in result.stderr


def test_node_create_wait_json_prints_the_running_node(mw):
    result = mw(
        'node-create', 'default', '--name', 'web-3', *NODE, '--wait', '--json'
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)['node']['state'] == 'running'


def test_node_create_wait_gives_up_after_the_timeout(slow_boot, mw):
    result = mw(
        'node-create',
        'default',
        '--name',
        'slow',
        *NODE,
        '--wait',
        '--timeout',
        '0.5',
    )
    assert_clean_failure(
        result, 1, 'is still pending after 0.5 s', '--timeout'
    )


def test_node_create_with_a_bad_name_names_the_field(mw):
    result = mw('node-create', 'default', '--name', '-bad', *NODE)
    assert_clean_failure(
        result, 1, 'name must start with a letter', 'HTTP 400', 'field name'
    )


def test_node_create_without_size_is_a_usage_error(mw):
    result = mw('node-create', 'default', '--name', 'x', '--image', 'i')
    assert_clean_failure(result, 2, "Missing option '--size'")


def test_node_list_of_one_cloud(mw, mw_json):
    node = create(mw_json, 'sim-b', 'app-1')
    result = mw('node-list', '--cloud', 'sim-b')
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[0] == [
        'ID',
        'Name',
        'Cloud',
        'State',
        'Public IPs',
        'Size',
        'Image',
    ]
    assert [row[:4] for row in rows[1:]] == [
        [node['id'], 'app-1', 'sim-b', 'running']
    ]
    answer = mw_json('node-list', '--cloud', 'sim-b')
    assert [n['id'] for n in answer['nodes']] == [node['id']]


def test_node_list_of_every_cloud_follows_the_pages(mw, mw_json):
    created = [
        create(mw_json, cloud, name)['id']
        for cloud, name in (('default', 'a'), ('sim-b', 'b'), ('sim-b', 'c'))
    ]
    whole = mw_json('node-list')
    paged = mw_json('node-list', '--limit', '1')
    keys = [(n['cloud'], n['id']) for n in whole['nodes']]
    assert [(n['cloud'], n['id']) for n in paged['nodes']] == keys
    assert {n['cloud'] for n in whole['nodes']} == {
        'default',
        'sim-b',
        'dummy',
    }
    assert set(created) <= {n['id'] for n in whole['nodes']}
    assert whole['errors'] == [] and paged['next_marker'] is None
    result = mw('node-list', '--limit', '2')
    assert result.exit_code == 0, result.stderr
    assert len(table_rows(result.stdout)) == len(keys) + 1
    # No warning: stderr holds only how fresh each cloud's listing is.
    assert result.stderr.splitlines() == [
        line
        for line in result.stderr.splitlines()
        if re.fullmatch(r'[\w-]+: observed \d+ s ago \(fresh\)', line)
    ]
    assert len(result.stderr.splitlines()) == 3


def test_node_list_filters_by_state_name_and_clouds(mw, mw_json):
    create(mw_json, 'sim-b', 'keep')
    create(mw_json, 'default', 'other')
    by_name = mw_json('node-list', '--name', 'keep')['nodes']
    assert [(n['cloud'], n['name']) for n in by_name] == [('sim-b', 'keep')]
    running = mw_json('node-list', '--cloud', 'sim-b', '--state', 'running')
    assert [n['name'] for n in running['nodes']] == ['keep']
    two = mw_json('node-list', '--cloud', 'sim-b', '--cloud', 'dummy')
    assert {n['cloud'] for n in two['nodes']} == {'sim-b', 'dummy'}
    result = mw('node-list', '--cloud', 'sim-b', '--state', 'stopped')
    assert table_rows(result.stdout)[1:] == []


def test_node_list_of_an_unknown_cloud_exits_1(mw):
    result = mw('node-list', '--cloud', 'nowhere')
    assert_clean_failure(result, 1, "cloud 'nowhere' not found")


def test_node_show_table_and_json(mw, mw_json):
    node = create(mw_json, 'sim-b', 'shown')
    result = mw('node-show', 'sim-b', node['id'])
    assert result.exit_code == 0, result.stderr
    values = property_values(result.stdout)
    assert values['id'] == node['id'] and values['name'] == 'shown'
    assert values['actions'] == 'reboot, stop'
    assert (
        mw_json('node-show', 'sim-b', node['id'])['node']['id'] == node['id']
    )


def test_node_show_of_an_unknown_node_exits_1(mw):
    result = mw('node-show', 'sim-b', 'no-such-node')
    assert_clean_failure(result, 1, 'HTTP 404', 'not found')


def test_node_actions_report_the_accepted_action(mw, mw_json):
    node_id = create(mw_json, 'sim-b', 'acted')['id']
    result = mw('node-stop', 'sim-b', node_id)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        'stop of node acted (%s) on sim-b accepted; state: stopped' % node_id
    )
    result = mw('node-start', 'sim-b', node_id)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        'start of node acted (%s) on sim-b accepted; state: ' % node_id
    )
    answer = mw_json('node-stop', 'sim-b', node_id)
    assert answer['action'] == 'stop'
    assert answer['node']['state'] == 'stopped'
    answer = mw_json('node-start', 'sim-b', node_id)
    assert answer['action'] == 'start'
    assert answer['node']['id'] == node_id
    answer = mw_json('node-reboot', 'sim-b', node_id)
    assert answer['action'] == 'reboot'


def test_node_action_wait_polls_until_the_target_state(mw, mw_json):
    node_id = create(mw_json, 'default', 'bounce', '--wait')['id']
    result = mw('node-reboot', 'default', node_id, '--wait')
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith('accepted; state: running')
    assert 'on default: running' in result.stderr


def test_node_action_invalid_in_the_state_exits_1_with_the_reason(mw, mw_json):
    node_id = create(mw_json, 'sim-b', 'idle')['id']
    assert mw('node-stop', 'sim-b', node_id).exit_code == 0
    result = mw('node-stop', 'sim-b', node_id)
    assert_clean_failure(
        result,
        1,
        'cannot stop node',
        'HTTP 409',
        'invalid_state',
        'valid actions: start',
    )


def test_node_delete_destroys_the_node(mw, mw_json):
    node_id = create(mw_json, 'sim-b', 'gone')['id']
    result = mw('node-delete', 'sim-b', node_id)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        'destroy of node gone (%s) on sim-b accepted' % node_id
    )
    assert_clean_failure(mw('node-show', 'sim-b', node_id), 1, 'HTTP 404')
    other = create(mw_json, 'sim-b', 'gone-too')['id']
    answer = mw_json('node-delete', 'sim-b', other)
    assert answer['action'] == 'destroy' and answer['node']['id'] == other
