"""``volume-*`` over HTTP: create, attach, detach, delete."""

from mw_output import assert_clean_failure, property_values, table_rows


def test_volume_lifecycle_in_tables(mw, mw_json):
    node_id = mw_json(
        'node-create',
        'sim-b',
        '--name',
        'host',
        '--size',
        'small',
        '--image',
        'img-debian-12',
    )['node']['id']
    result = mw('volume-create', 'sim-b', '--name', 'data', '--size', '5')
    assert result.exit_code == 0, result.stderr
    volume = property_values(result.stdout)
    assert (volume['name'], volume['size'], volume['state']) == (
        'data',
        '5',
        'available',
    )
    volume_id = volume['id']

    result = mw(
        'volume-attach', 'sim-b', volume_id, node_id, '--device', '/dev/vdc'
    )
    assert result.exit_code == 0, result.stderr
    attached = property_values(result.stdout)
    assert (attached['state'], attached['node_id'], attached['device']) == (
        'inuse',
        node_id,
        '/dev/vdc',
    )
    rows = table_rows(mw('volume-list', 'sim-b').stdout)
    assert rows == [
        ['ID', 'Name', 'Size (GB)', 'State', 'Node', 'Device'],
        [volume_id, 'data', '5', 'inuse', node_id, '/dev/vdc'],
    ]

    assert_clean_failure(
        mw('volume-delete', 'sim-b', volume_id), 1, 'HTTP 409', 'attached'
    )
    result = mw('volume-detach', 'sim-b', volume_id)
    assert result.exit_code == 0, result.stderr
    assert property_values(result.stdout)['state'] == 'available'
    result = mw('volume-delete', 'sim-b', volume_id)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == 'volume %s deleted from sim-b' % volume_id
    assert table_rows(mw('volume-list', 'sim-b').stdout)[1:] == []


def test_volume_commands_in_json(mw, mw_json):
    node_id = mw_json(
        'node-create',
        'default',
        '--name',
        'host',
        '--size',
        'small',
        '--image',
        'img-debian-12',
        '--location',
        'sim-west-1a',
    )['node']['id']
    volume = mw_json(
        'volume-create',
        'default',
        '--name',
        'logs',
        '--size',
        '2',
        '--location',
        'sim-west-1a',
    )['volume']
    assert volume['extra']['location'] == 'sim-west-1a'
    attached = mw_json('volume-attach', 'default', volume['id'], node_id)
    assert attached['volume']['node_id'] == node_id
    listed = mw_json('volume-list', 'default', '--state', 'inuse')
    assert [v['id'] for v in listed['volumes']] == [volume['id']]
    detached = mw_json('volume-detach', 'default', volume['id'])
    assert detached['volume']['state'] == 'available'
    result = mw('volume-delete', 'default', volume['id'], '--json')
    assert result.exit_code == 0 and result.stdout == ''
    assert mw_json('volume-list', 'default')['volumes'] == []


def test_volume_list_on_dummy_is_a_501(mw):
    result = mw('volume-list', 'dummy')
    assert_clean_failure(
        result,
        1,
        "cloud 'dummy' does not support list_volumes",
        'HTTP 501',
        'not_supported',
    )


def test_volume_create_with_a_bad_size_is_a_usage_error(mw):
    result = mw('volume-create', 'default', '--name', 'v', '--size', '0')
    assert_clean_failure(result, 2, "Invalid value for '--size'")


def test_volume_attach_to_an_unknown_node_exits_1(mw, mw_json):
    volume = mw_json('volume-create', 'default', '--name', 'v', '--size', '1')[
        'volume'
    ]
    result = mw('volume-attach', 'default', volume['id'], 'no-such-node')
    assert_clean_failure(result, 1, 'HTTP 404')
