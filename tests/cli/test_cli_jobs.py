"""``job-*`` over HTTP: list, show with steps, wait with progress, cancel,
and what an unknown job gives."""

import json

import pytest
from mw_output import assert_clean_failure, property_values, table_rows
from mw_stacks import (
    BROKEN_CLOUD,
    json_in_process,
    make_stack,
    plain_lines,
    stop_jobs,
)

JOB_HEADINGS = [
    'ID',
    'Kind',
    'Status',
    'Progress',
    'Target',
    'Requested by',
    'Created',
    'Finished',
]


@pytest.fixture
def mw(mw, app):
    """``mw``, the jobs of the service stopped before its clouds close."""
    yield mw
    stop_jobs(app)


@pytest.fixture
def given(live_server):
    """``given.stack(tmp_path, name, ...)`` makes a stack in this process;
    ``given(*args)`` runs ``mw ARGS --json`` there."""

    def run(*args):
        return json_in_process(live_server.url, *args)

    run.stack = lambda *args, **kwargs: make_stack(
        live_server.url, *args, **kwargs
    )
    return run


@pytest.fixture
def slow_cloud(farm_config):
    """Nodes of ``default`` take ten minutes to boot; ``sim-broken`` can
    create none."""
    farm_config['default'] = dict(
        farm_config['default'], EXTRA_PARAMS={'boot_time': 600}
    )
    farm_config['sim-broken'] = BROKEN_CLOUD


def test_job_list_table_json_and_filters(mw, mw_json, given, tmp_path):
    stack = given.stack(tmp_path, 'web', count=2)['stack']
    given('stack-delete', stack['id'], '--wait')
    result = mw('job-list')
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[0] == JOB_HEADINGS
    assert [row[1:5] for row in rows[1:]] == [
        ['stack.delete', 'succeeded', '2/2', 'stack %s' % stack['id']],
        ['stack.create', 'succeeded', '2/2', 'stack %s' % stack['id']],
    ]
    assert rows[2][0] == stack['job_id']
    jobs = mw_json('job-list')['jobs']
    assert [job['kind'] for job in jobs] == ['stack.delete', 'stack.create']
    only = mw_json(
        'job-list',
        '--kind',
        'stack.create',
        '--status',
        'succeeded',
        '--limit',
        '1',
    )['jobs']
    assert [job['id'] for job in only] == [stack['job_id']]
    assert mw_json('job-list', '--status', 'failed')['jobs'] == []


def test_job_list_refuses_an_unknown_kind_or_status(mw):
    assert_clean_failure(
        mw('job-list', '--kind', 'stack.paint'), 1, 'HTTP 400', 'field kind'
    )
    assert_clean_failure(
        mw('job-list', '--status', 'asleep'), 2, "'asleep' is not one of"
    )


def test_job_show_prints_the_job_and_its_steps(mw, mw_json, given, tmp_path):
    stack = given.stack(tmp_path, count=2, clouds=['default', 'sim-b'])[
        'stack'
    ]
    result = mw('job-show', stack['job_id'])
    assert result.exit_code == 0, result.stderr
    properties, steps = result.stdout.split('Steps:\n')
    values = property_values(properties)
    assert values['id'] == stack['job_id']
    assert values['kind'] == 'stack.create'
    assert values['status'] == 'succeeded'
    assert values['target.id'] == stack['id']
    assert values['result.node_states.running'] == '2'
    rows = table_rows(steps)
    assert rows[0] == ['Step', 'Status', 'Result', 'Error']
    names = sorted(node['name'] for node in stack['nodes'])
    assert sorted(row[0] for row in rows[1:] if row[0]) == [
        'create %s' % name for name in names
    ]
    assert 'cloud=default' in steps and 'state=running' in steps
    job = mw_json('job-show', stack['job_id'])['job']
    assert sorted(step['name'] for step in job['steps']) == [
        'create %s' % name for name in names
    ]


def test_job_steps_lists_every_page_and_filters(mw, mw_json, given, tmp_path):
    stack = given.stack(tmp_path, count=3, clouds=['default', 'sim-b'])[
        'stack'
    ]
    names = sorted('create %s' % n['name'] for n in stack['nodes'])
    result = mw('job-steps', stack['job_id'], '--limit', '2')
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[0] == ['Step', 'Status', 'Result', 'Error']
    assert sorted(row[0] for row in rows[1:] if row[0]) == names
    steps = mw_json('job-steps', stack['job_id'], '--limit', '1')['steps']
    assert sorted(step['name'] for step in steps) == names
    failed = mw_json('job-steps', stack['job_id'], '--status', 'failed')
    assert failed['steps'] == []
    assert_clean_failure(
        mw('job-steps', stack['job_id'], '--status', 'asleep'),
        2,
        "'asleep' is not one of",
    )


def test_job_wait_follows_a_job_until_it_succeeds(mw, given, tmp_path):
    job_id = given.stack(tmp_path, count=2, clouds=['default'], wait=False)[
        'job'
    ]['id']
    result = mw('job-wait', job_id)
    assert result.exit_code == 0, result.stderr
    values = property_values(result.stdout.split('Steps:\n')[0])
    assert values['status'] == 'succeeded'
    # Not a terminal: a plain line per change of status or progress.
    lines = plain_lines(result.stderr)
    assert lines[-1] == (
        'job %s (stack.create, 2/2 nodes running): succeeded' % job_id
    )
    assert all(
        line.startswith('job %s (stack.create' % job_id) for line in lines
    )


def test_job_wait_json_prints_the_finished_job(mw, given, tmp_path):
    job_id = given.stack(tmp_path, count=1)['job']['id']
    result = mw('job-wait', job_id, '--json')
    assert result.exit_code == 0, result.stderr
    job = json.loads(result.stdout)['job']
    assert job['id'] == job_id and job['status'] == 'succeeded'
    assert len(job['steps']) == 1


def test_job_wait_exits_1_with_the_error_of_a_failed_job(
    slow_cloud, mw, given, tmp_path
):
    job_id = given.stack(
        tmp_path, 'doomed', clouds=['sim-broken'], wait=False
    )['job']['id']
    result = mw('job-wait', job_id)
    assert_clean_failure(
        result,
        1,
        'job %s (stack.create) failed:' % job_id,
        'stack_failed',
        'doomed-front-1-',
    )
    assert (
        property_values(result.stdout.split('Steps:\n')[0])['error.code']
        == 'stack_failed'
    )
    # The failed node's step, then the step of its rollback.
    assert plain_lines(result.stderr)[-2].endswith(
        '(stack.create, 2/2 steps done, 1 failed): failed'
    )


def test_job_wait_gives_up_after_the_timeout(slow_cloud, mw, given, tmp_path):
    job_id = given.stack(tmp_path, clouds=['default'], wait=False)['job']['id']
    result = mw('job-wait', job_id, '--timeout', '0.5')
    assert_clean_failure(
        result,
        1,
        'job %s (stack.create' % job_id,
        'is still running after 0.5 s',
        '--timeout',
    )
    assert result.stdout == ''


def test_job_cancel_stops_a_job_which_then_ends_cancelled(
    slow_cloud, mw, given, tmp_path
):
    job_id = given.stack(tmp_path, clouds=['default'], wait=False)['job']['id']
    result = mw('job-cancel', job_id)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        'cancellation of job %s (stack.create) requested; status: ' % job_id
    )
    waited = mw('job-wait', job_id, '--json')
    assert_clean_failure(waited, 1, 'job %s (stack.create) cancelled' % job_id)
    assert json.loads(waited.stdout)['job']['status'] == 'cancelled'
    assert_clean_failure(
        mw('job-cancel', job_id), 1, 'HTTP 409', 'job_finished'
    )


def test_job_cancel_json_shows_the_cancellation_requested(
    slow_cloud, mw, given, tmp_path
):
    job_id = given.stack(tmp_path, clouds=['default'], wait=False)['job']['id']
    result = mw('job-cancel', job_id, '--json')
    assert result.exit_code == 0, result.stderr
    job = json.loads(result.stdout)['job']
    assert job['id'] == job_id and job['cancel_requested'] is True


@pytest.mark.parametrize(
    'command', ['job-show', 'job-steps', 'job-wait', 'job-cancel']
)
def test_an_unknown_job_exits_1_with_the_404(mw, command):
    result = mw(command, 'no-such-job')
    assert_clean_failure(
        result, 1, "job 'no-such-job' not found", 'HTTP 404', 'job_not_found'
    )
