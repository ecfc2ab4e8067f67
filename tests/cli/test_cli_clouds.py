"""``cloud-list``, ``cloud-show`` and ``provider-list`` over HTTP."""

from mw_output import assert_clean_failure, property_values, table_rows


def test_cloud_list_prints_a_table_of_the_farm(mw):
    result = mw('cloud-list')
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[0] == ['Name', 'Provider', 'Status', 'Default', 'Reason']
    assert [row[:4] for row in rows[1:]] == [
        ['default', 'simulator', 'available', 'yes'],
        ['sim-b', 'simulator', 'available', 'no'],
        ['dummy', 'dummy', 'available', 'no'],
    ]


def test_cloud_list_json_is_the_api_answer(mw_json):
    answer = mw_json('cloud-list')
    assert [c['name'] for c in answer['clouds']] == [
        'default',
        'sim-b',
        'dummy',
    ]
    assert answer['next_marker'] is None
    assert 'create_node' in answer['clouds'][0]['capabilities']


def test_global_json_option_works_like_the_command_one(mw):
    result = mw('--json', 'cloud-list', '--limit', '1')
    assert result.exit_code == 0, result.stderr
    assert '"clouds"' in result.stdout and '"sim-b"' in result.stdout


def test_cloud_list_filters_by_status(mw):
    result = mw('cloud-list', '--status', 'unavailable')
    assert result.exit_code == 0, result.stderr
    assert table_rows(result.stdout)[1:] == []


def test_cloud_show_prints_property_value(mw):
    result = mw('cloud-show', 'sim-b')
    assert result.exit_code == 0, result.stderr
    values = property_values(result.stdout)
    assert table_rows(result.stdout)[0] == ['Property', 'Value']
    assert values['name'] == 'sim-b'
    assert values['provider'] == 'simulator'
    assert 'list_volumes' in values['capabilities']
    assert 'check.ok' not in values


def test_cloud_show_check_proves_the_credentials(mw, mw_json):
    result = mw('cloud-show', 'default', '--check')
    assert result.exit_code == 0, result.stderr
    assert property_values(result.stdout)['check.ok'] == 'yes'
    answer = mw_json('cloud-show', 'dummy', '--check')
    assert answer['cloud']['check'] == {'ok': True}


def test_cloud_show_of_unknown_cloud_exits_1_with_the_api_message(mw):
    result = mw('cloud-show', 'nowhere')
    assert_clean_failure(
        result, 1, "cloud 'nowhere' not found", 'HTTP 404', 'cloud_not_found'
    )
    assert result.stdout == ''


def test_provider_list_follows_every_page(mw, mw_json):
    whole = mw_json('provider-list')
    paged = mw_json('provider-list', '--limit', '20')
    labels = [p['label'] for p in whole['providers']]
    assert [p['label'] for p in paged['providers']] == labels
    assert len(labels) > 20 and {'simulator', 'dummy', 'openstack'} <= set(
        labels
    )
    result = mw('provider-list', '--limit', '50')
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[0] == ['Label', 'Source', 'Available', 'Capabilities']
    listed = [row[0] for row in rows[1:] if row[0]]
    assert listed == labels


def test_provider_show_lists_the_fields_of_a_farm_entry(mw, mw_json):
    answer = mw_json('provider-show', 'ec2')
    fields = {f['name']: f for f in answer['provider']['configuration']}
    assert fields['PASSWORD']['secret'] is True
    assert fields['region']['default'] == 'us-east-1'
    result = mw('provider-show', 'ec2')
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout.split('\n\n', 1)[1])
    assert rows[0] == [
        'Field',
        'Type',
        'Required',
        'Secret',
        'Default',
        'Help',
    ]
    assert [
        'EXTRA_PARAMS.region',
        'string',
        'no',
        'no',
        'us-east-1',
    ] == ([row for row in rows if row[0] == 'EXTRA_PARAMS.region'][0][:5])


def test_provider_show_of_unknown_label_exits_1(mw):
    result = mw('provider-show', 'nimbus-9')
    assert_clean_failure(
        result, 1, "provider label 'nimbus-9' not found", 'HTTP 404'
    )
