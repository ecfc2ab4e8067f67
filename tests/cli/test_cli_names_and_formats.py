"""OpenStack-client habits: a name wherever an ID goes, ``-f`` and ``-c``,
and failures as data with a machine format."""

import json

import yaml
from mw_output import assert_clean_failure, table_rows
from mw_stacks import make_stack

NODE = ('--size', 'small', '--image', 'img-ubuntu-24.04')


def create(mw_json, cloud, name):
    return mw_json('node-create', cloud, '--name', name, *NODE)['node']


def test_a_node_is_found_by_its_name(mw, mw_json):
    node = create(mw_json, 'sim-b', 'solo')
    shown = mw_json('node-show', 'sim-b', 'solo')['node']
    assert shown['id'] == node['id']
    stopped = mw_json('node-stop', 'sim-b', 'solo')
    assert stopped['node']['id'] == node['id']
    deleted = mw('node-delete', 'sim-b', 'solo')
    assert deleted.exit_code == 0, deleted.stderr
    assert node['id'] in deleted.stdout


def test_an_ambiguous_name_is_answered_with_the_matches(mw, mw_json):
    first = create(mw_json, 'sim-b', 'twin')
    second = create(mw_json, 'sim-b', 'twin')
    result = mw('node-reboot', 'sim-b', 'twin')
    assert_clean_failure(result, 1, "2 nodes are named 'twin'", first['id'])
    assert second['id'] in result.stderr
    as_data = mw('node-show', 'sim-b', 'twin', '-f', 'json')
    assert as_data.exit_code == 1 and as_data.stdout == ''
    error = json.loads(as_data.stderr)['error']
    assert error['code'] == 'ambiguous_name'
    assert {m['id'] for m in error['matches']} == {first['id'], second['id']}


def test_an_unknown_name_is_the_apis_404(mw):
    result = mw('node-show', 'sim-b', 'nobody-here')
    assert_clean_failure(result, 1, 'HTTP 404', 'node_not_found')


def test_a_volume_and_its_node_by_name(mw, mw_json):
    node = create(mw_json, 'sim-b', 'db-host')
    volume = mw_json('volume-create', 'sim-b', '--name', 'data', '--size', '1')
    attached = mw_json('volume-attach', 'sim-b', 'data', 'db-host')['volume']
    assert attached['id'] == volume['volume']['id']
    assert attached['node_id'] == node['id']
    assert (
        mw_json('volume-detach', 'sim-b', 'data')['volume']['node_id'] is None
    )
    assert mw('volume-delete', 'sim-b', 'data').exit_code == 0


def test_a_stack_by_its_name(mw, mw_json, live_server, tmp_path):
    stack = make_stack(live_server.url, tmp_path, name='shop')['stack']
    assert mw_json('stack-show', 'shop')['stack']['id'] == stack['id']
    events = mw_json('stack-events', 'shop')['events']
    assert events[0]['kind'] == 'stack.creating'
    deleted = mw('stack-delete', 'shop', '--wait')
    assert deleted.exit_code == 0, deleted.stderr
    assert stack['id'] in deleted.stdout


def test_a_token_by_its_name(mw, mw_json):
    token = mw_json('token-create', '--role', 'reader', '--name', 'ci-bot')
    revoked = mw('token-revoke', 'ci-bot')
    assert revoked.exit_code == 0, revoked.stderr
    assert token['token']['id'] in revoked.stdout


def test_yaml_prints_the_apis_answer(mw, mw_json):
    node = create(mw_json, 'sim-b', 'yaml-1')
    result = mw('node-show', 'sim-b', node['id'], '-f', 'yaml')
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(result.stdout)['node']['id'] == node['id']


def test_value_and_columns_print_bare_rows(mw, mw_json):
    node = create(mw_json, 'sim-b', 'value-1')
    result = mw(
        'node-list',
        '--cloud',
        'sim-b',
        '-f',
        'value',
        '-c',
        'name',
        '-c',
        'ID',
    )
    assert result.exit_code == 0, result.stderr
    assert 'value-1 %s' % node['id'] in result.stdout.splitlines()
    shown = mw('node-show', 'sim-b', 'value-1', '-f', 'value', '-c', 'state')
    assert shown.stdout.strip() in ('pending', 'running')


def test_columns_narrow_a_table(mw, mw_json):
    create(mw_json, 'sim-b', 'narrow-1')
    result = mw('node-list', '--cloud', 'sim-b', '-c', 'Name', '-c', 'state')
    rows = table_rows(result.stdout)
    assert rows[0] == ['Name', 'State']
    assert ['narrow-1'] == [row[0] for row in rows[1:] if row[0] == 'narrow-1']


def test_an_unknown_column_is_a_usage_error(mw):
    result = mw('cloud-list', '-c', 'colour')
    assert result.exit_code == 2
    assert "no column 'colour'" in result.stderr
    assert 'Name' in result.stderr


def test_global_format_options_apply_to_every_command(mw):
    result = mw('-f', 'yaml', 'cloud-show', 'sim-b')
    assert yaml.safe_load(result.stdout)['cloud']['name'] == 'sim-b'


def test_with_a_machine_format_errors_are_data(mw):
    result = mw('--json', 'cloud-show', 'nowhere')
    assert result.exit_code == 1 and result.stdout == ''
    error = json.loads(result.stderr)['error']
    assert error['code'] == 'cloud_not_found'
    assert error['status'] == 404 and error['exit_status'] == 1
    assert error['message'] == "cloud 'nowhere' not found"
    as_yaml = mw('cloud-show', 'nowhere', '-f', 'yaml')
    assert yaml.safe_load(as_yaml.stderr)['error']['code'] == 'cloud_not_found'


def test_stack_create_keeps_its_short_file_option(mw, tmp_path):
    template = tmp_path / 'stack.yaml'
    template.write_text(
        'name: fmt\ngroups:\n  - {name: a, cloud: sim-b, size: small,'
        ' image: img-ubuntu-24.04, count: 1}\n'
    )
    result = mw('stack-create', '-f', str(template), '--format', 'yaml')
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(result.stdout)['stack']['name'] == 'fmt'
