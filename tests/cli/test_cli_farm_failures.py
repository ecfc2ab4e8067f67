"""Clouds that fail: reported per cloud, never failing the whole list."""

import json
import re

import pytest
from mw_output import assert_clean_failure, property_values, table_rows


@pytest.fixture
def farm_config(farm_config):
    """The test farm plus a cloud whose node listing is unavailable and a
    farm entry with an unknown provider label."""
    farm_config['flaky'] = {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {
            'fail_with': 'unavailable',
            'failure_rate': 1.0,
            'fail_operations': ['list_nodes'],
        },
    }
    farm_config['broken'] = {'ENGINE': 'no-such-provider'}
    return farm_config


def test_node_list_reports_failing_clouds_on_stderr(mw):
    result = mw('node-list')
    assert result.exit_code == 0, result.stderr
    clouds = {row[2] for row in table_rows(result.stdout)[1:]}
    assert clouds == {'dummy'}
    lines = result.stderr.splitlines()
    warnings = [line for line in lines if line.startswith('WARNING: ')]
    assert len(warnings) == 2
    # Every other line says how fresh the listing of a sound cloud is.
    fresh = [line for line in lines if line not in warnings]
    assert fresh and all(
        re.fullmatch(r'[\w-]+: observed \d+ s ago \(fresh\)', line)
        for line in fresh
    )
    assert not any(line.startswith(('flaky:', 'broken:')) for line in fresh)
    assert any(w.startswith('WARNING: cloud flaky: ') for w in warnings)
    assert any(
        w.startswith('WARNING: cloud broken: ') and 'HTTP 503' in w
        for w in warnings
    )


def test_node_list_json_carries_the_errors(mw):
    result = mw('node-list', '--json', '--limit', '1')
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert sorted(e['cloud'] for e in answer['errors']) == ['broken', 'flaky']
    assert {n['cloud'] for n in answer['nodes']} == {'dummy'}


def test_cloud_list_shows_the_broken_entry_and_its_reason(mw):
    rows = table_rows(mw('cloud-list', '--status', 'unavailable').stdout)
    assert [row[:3] for row in rows[1:] if row[0]] == [
        ['broken', 'no-such-provider', 'unavailable']
    ]
    reason = ' '.join(row[4] for row in rows[1:])
    assert "unknown provider label 'no-such-provider'" in reason


def test_cloud_show_check_failure_exits_1(mw):
    result = mw('cloud-show', 'broken', '--check')
    assert_clean_failure(
        result, 1, 'the check of cloud broken failed', 'HTTP 503'
    )
    assert property_values(result.stdout)['check.ok'] == 'no'
