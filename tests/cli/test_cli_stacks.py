"""``stack-*`` over HTTP: create from YAML or JSON (and wait), list, show,
scale, delete, history, and what a bad template or id gives."""

import json
import os
import pty
import select
import subprocess
import sys

import pytest
from mw_output import assert_clean_failure, property_values, table_rows
from mw_runners import ROOT, process_env
from mw_stacks import (
    BROKEN_CLOUD,
    json_in_process,
    make_stack,
    plain_lines,
    stop_jobs,
    template,
    write_template,
)

NODE_HEADINGS = [
    'Name',
    'Group',
    'Cloud',
    'Provider ID',
    'State',
    'Public IPs',
    'Private IPs',
    'Error',
]


@pytest.fixture
def mw(mw, app):
    """``mw``, the jobs of the service stopped before its clouds close."""
    yield mw
    stop_jobs(app)


@pytest.fixture
def service(live_server, app):
    """``live_server``, its jobs stopped before its clouds close."""
    yield live_server
    stop_jobs(app)


@pytest.fixture
def given(live_server):
    """``given(*args)``: ``mw ARGS --json`` in this process, to set the
    scene; ``given.stack(tmp_path, name, ...)`` makes a stack."""

    def run(*args):
        return json_in_process(live_server.url, *args)

    run.stack = lambda *args, **kwargs: make_stack(
        live_server.url, *args, **kwargs
    )
    return run


@pytest.fixture
def broken_cloud(farm_config):
    """A cloud ``sim-broken`` on which no node can be created."""
    farm_config['sim-broken'] = BROKEN_CLOUD


def nodes_table(stdout):
    """The rows of the ``Nodes:`` table of a stack (headings first)."""
    return table_rows(stdout.split('Nodes:\n', 1)[1].split('\nJob ')[0])


def stack_properties(stdout):
    return property_values(stdout.split('Nodes:\n', 1)[0])


def test_stack_create_from_yaml_prints_the_stack_and_its_job(mw, tmp_path):
    result = mw(
        'stack-create',
        '-f',
        write_template(
            tmp_path, template(count=2, clouds=['default', 'sim-b'])
        ),
    )
    assert result.exit_code == 0, result.stderr
    values = stack_properties(result.stdout)
    assert values['name'] == 'web' and values['status'] == 'creating'
    assert values['groups'] == (
        'front: 2 x small img-ubuntu-24.04 on default, sim-b'
    )
    assert values['node_counts.planned'] == '2'
    rows = nodes_table(result.stdout)
    assert rows[0] == NODE_HEADINGS
    assert [(r[1], r[2], r[4]) for r in rows[1:]] == [
        ('front', 'default', 'planned'),
        ('front', 'sim-b', 'planned'),
    ]
    job_id = values['job_id']
    assert (
        'Job %s (stack.create, 0/2 nodes running): queued' % job_id
        in result.stdout
    )
    assert result.stdout.rstrip().endswith(
        'Follow it with: mw job-wait %s' % job_id
    )


def test_stack_create_from_json_prints_the_api_answer(mw_json, tmp_path):
    body = template('api', count=1, clouds=['sim-b'])
    body['on_failure'] = 'keep'
    answer = mw_json(
        'stack-create', '-f', write_template(tmp_path, body, 'api.json')
    )
    assert answer['stack']['name'] == 'api'
    assert answer['stack']['on_failure'] == 'keep'
    assert answer['job']['kind'] == 'stack.create'
    assert answer['job']['id'] == answer['stack']['job_id']


def test_stack_create_reads_a_template_without_extension_or_from_stdin(
    mw_json, mw, tmp_path
):
    text_file = tmp_path / 'stack'
    text_file.write_text(
        'name: plain\ngroups:\n  - {name: a, cloud: sim-b, '
        'size: small, image: img-ubuntu-24.04, count: 0}\n'
    )
    assert (
        mw_json('stack-create', '-f', str(text_file))['stack']['name']
        == 'plain'
    )
    result = mw(
        'stack-create',
        '-f',
        '-',
        '--json',
        input=json.dumps(template('piped', count=0)),
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)['stack']['name'] == 'piped'


def test_stack_create_wait_follows_the_job_until_active(mw, tmp_path):
    result = mw(
        'stack-create',
        '-f',
        write_template(
            tmp_path, template(count=3, clouds=['default', 'sim-b'])
        ),
        '--wait',
    )
    assert result.exit_code == 0, result.stderr
    assert stack_properties(result.stdout)['status'] == 'active'
    rows = nodes_table(result.stdout)[1:]
    assert [r[4] for r in rows] == ['running'] * 3
    assert all(r[3] and r[5] and r[6] for r in rows)
    assert '(stack.create, 3/3 nodes running): succeeded' in result.stdout
    assert 'Follow it with' not in result.stdout
    # Not a terminal: one plain line per change, on stderr.
    lines = plain_lines(result.stderr)
    assert lines[-1].startswith('job ')
    assert lines[-1].endswith('(stack.create, 3/3 nodes running): succeeded')
    assert len(lines) == len(set(lines))


def test_stack_create_wait_json_prints_the_active_stack(mw, tmp_path):
    result = mw(
        'stack-create',
        '-f',
        write_template(tmp_path, template(count=2), 'web.json'),
        '--wait',
        '--json',
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer['stack']['status'] == 'active'
    assert answer['stack']['node_counts'] == {'running': 2}
    assert answer['job']['status'] == 'succeeded'
    assert len(answer['job']['steps']) == 2


def test_stack_create_wait_exits_1_with_the_error_of_a_failed_job(
    broken_cloud, mw, tmp_path
):
    body = template('doomed', count=1, clouds=['sim-broken'])
    result = mw('stack-create', '-f', write_template(tmp_path, body), '--wait')
    assert_clean_failure(
        result, 1, '(stack.create) failed:', 'stack_failed', 'doomed-front-1-'
    )
    assert stack_properties(result.stdout)['status'] == 'rolled_back'
    assert 'failed' in plain_lines(result.stderr)[-2]


def test_stack_create_wait_gives_up_after_the_timeout(
    farm_config, mw, tmp_path
):
    farm_config['default'] = dict(
        farm_config['default'], EXTRA_PARAMS={'boot_time': 600}
    )
    result = mw(
        'stack-create',
        '-f',
        write_template(tmp_path, template(clouds=['default'])),
        '--wait',
        '--timeout',
        '0.5',
    )
    assert_clean_failure(
        result, 1, 'is still running after 0.5 s', '--timeout'
    )


@pytest.mark.parametrize(
    'group, field',
    [
        ({'size': 'huge'}, 'groups[0].size'),
        ({'clouds': ['nowhere']}, 'groups[0].clouds[0]'),
        ({'colour': 'red'}, 'groups[0].colour'),
    ],
)
def test_a_template_the_api_refuses_exits_1_naming_the_field(
    mw, tmp_path, group, field
):
    result = mw(
        'stack-create', '-f', write_template(tmp_path, template(**group))
    )
    assert_clean_failure(result, 1, 'HTTP 400', 'field %s' % field)
    assert result.stdout == ''


@pytest.mark.parametrize(
    'file_name, text, reason',
    [
        (
            'bad.yaml',
            'name: x\ngroups: [\n',
            'bad.yaml is not valid YAML: line 3, column 1',
        ),
        ('bad.json', '{"name": "x",', 'bad.json is not valid JSON'),
        ('bad.txt', 'a: b: c\n', 'bad.txt is not valid JSON or YAML'),
        ('list.json', '[1, 2]', 'list.json must hold a stack template'),
        ('empty.yml', '', 'empty.yml must hold a stack template'),
        (
            'date.yaml',
            'name: 2026-01-05\n',
            'date.yaml holds a value JSON cannot carry',
        ),
    ],
)
def test_a_file_that_is_no_template_is_a_usage_error_naming_it(
    run_mw, tmp_path, file_name, text, reason
):
    # Refused before any request: no service needed.
    (tmp_path / file_name).write_text(text)
    result = run_mw(['stack-create', '-f', str(tmp_path / file_name)])
    assert_clean_failure(
        result, 2, "Invalid value for '-f' / '--file'", reason
    )


def test_stack_create_of_a_missing_file_is_a_usage_error(run_mw, tmp_path):
    result = run_mw(['stack-create', '-f', str(tmp_path / 'none.yaml')])
    assert_clean_failure(result, 2, 'none.yaml', 'does not exist')


def test_an_idempotency_key_makes_a_retry_give_the_first_answer(
    mw, mw_json, tmp_path
):
    file_name = write_template(tmp_path, template('once', count=0))
    first = mw_json(
        'stack-create', '-f', file_name, '--idempotency-key', 'deploy-42'
    )
    again = mw_json(
        'stack-create', '-f', file_name, '--idempotency-key', 'deploy-42'
    )
    assert again['stack']['id'] == first['stack']['id']
    result = mw('stack-create', '-f', file_name)
    assert_clean_failure(
        result, 1, "a stack named 'once' exists", 'HTTP 409', 'stack_exists'
    )


def test_stack_list_table_json_and_filters(mw, mw_json, given, tmp_path):
    web = given.stack(tmp_path, 'web', count=2)['stack']
    db = given.stack(tmp_path, 'db', wait=False, count=0)['stack']
    result = mw('stack-list')
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[0] == ['ID', 'Name', 'Status', 'Groups', 'Nodes', 'Created']
    assert rows[2][:5] == [web['id'], 'web', 'active', 'front', 'running 2']
    assert rows[1][:2] == [db['id'], 'db']
    assert [s['id'] for s in mw_json('stack-list')['stacks']] == [
        db['id'],
        web['id'],
    ]
    assert [
        s['name'] for s in given('stack-list', '--name', 'web')['stacks']
    ] == ['web']
    paged = mw_json('stack-list', '--limit', '1')
    assert [s['id'] for s in paged['stacks']] == [db['id'], web['id']]
    assert given('stack-list', '--status', 'deleted')['stacks'] == []
    assert_clean_failure(
        mw('stack-list', '--status', 'sleeping'), 2, "'sleeping' is not one of"
    )


def test_stack_show_table_and_json(mw, mw_json, given, tmp_path):
    stack = given.stack(tmp_path, count=2, clouds=['sim-b', 'default'])[
        'stack'
    ]
    result = mw('stack-show', stack['id'])
    assert result.exit_code == 0, result.stderr
    values = stack_properties(result.stdout)
    assert values['id'] == stack['id'] and values['status'] == 'active'
    assert values['node_counts.running'] == '2'
    rows = nodes_table(result.stdout)
    assert rows[0] == NODE_HEADINGS
    shown = mw_json('stack-show', stack['id'])['stack']
    assert [
        [
            n['name'],
            n['group'],
            n['cloud'],
            n['provider_id'],
            n['state'],
            ', '.join(n['public_ips']),
            ', '.join(n['private_ips']),
            '',
        ]
        for n in shown['nodes']
    ] == rows[1:]
    assert [n['cloud'] for n in shown['nodes']] == ['sim-b', 'default']
    assert 'Job ' not in result.stdout


@pytest.mark.parametrize(
    'args',
    [
        ['stack-show'],
        ['stack-events'],
        ['stack-delete'],
        ['stack-scale', '--group', 'front', '--count', '2'],
    ],
)
def test_an_unknown_stack_exits_1_with_the_404(mw, args):
    result = mw(args[0], 'no-such-stack', *args[1:])
    assert_clean_failure(
        result,
        1,
        "stack 'no-such-stack' not found",
        'HTTP 404',
        'stack_not_found',
    )


def test_stack_scale_wait_grows_and_shrinks_a_group(
    mw, mw_json, given, tmp_path
):
    stack_id = given.stack(tmp_path, count=1)['stack']['id']
    result = mw(
        'stack-scale', stack_id, '--group', 'front', '--count', '3', '--wait'
    )
    assert result.exit_code == 0, result.stderr
    assert stack_properties(result.stdout)['node_counts.running'] == '3'
    assert '(stack.scale, 2/2 steps done): succeeded' in result.stdout
    assert plain_lines(result.stderr)[-1].endswith('succeeded')
    answer = mw_json(
        'stack-scale', stack_id, '--group', 'front', '--count', '1', '--wait'
    )
    assert answer['job']['kind'] == 'stack.scale'
    assert answer['stack']['node_counts'] == {'destroyed': 2, 'running': 1}


def test_stack_scale_without_wait_prints_the_job_to_follow(
    mw, given, tmp_path
):
    stack_id = given.stack(tmp_path, count=1)['stack']['id']
    result = mw('stack-scale', stack_id, '--group', 'front', '--count', '0')
    assert result.exit_code == 0, result.stderr
    assert stack_properties(result.stdout)['status'] == 'updating'
    assert 'Follow it with: mw job-wait ' in result.stdout


def test_stack_scale_refusals(mw, given, tmp_path):
    stack_id = given.stack(tmp_path, count=0)['stack']['id']
    assert_clean_failure(
        mw('stack-scale', stack_id, '--group', 'back', '--count', '1'),
        1,
        'HTTP 400',
        'field groups[0].name',
    )
    assert_clean_failure(
        mw(
            'stack-scale',
            stack_id,
            '--group',
            'front',
            '--group',
            'x',
            '--count',
            '1',
        ),
        2,
        'give one --count per --group',
    )
    assert_clean_failure(
        mw('stack-scale', stack_id, '--group', 'front', '--count', '-1'),
        2,
        "Invalid value for '--count'",
    )


def test_stack_delete_wait_destroys_every_node(mw, mw_json, given, tmp_path):
    stack = given.stack(tmp_path, count=2)['stack']
    result = mw('stack-delete', stack['id'], '--wait')
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == 'stack web (%s) deleted' % stack['id']
    assert plain_lines(result.stderr)[-1].endswith(
        '(stack.delete, 2/2 nodes destroyed): succeeded'
    )
    assert given('stack-list')['stacks'] == []
    gone = given('stack-list', '--status', 'deleted')['stacks']
    assert [s['id'] for s in gone] == [stack['id']]
    again = mw_json('stack-delete', stack['id'])
    assert again['stack']['status'] == 'deleted'
    assert again['job']['status'] == 'succeeded'


def test_stack_delete_without_wait_says_how_to_follow(mw, given, tmp_path):
    stack = given.stack(tmp_path, count=1)['stack']
    result = mw('stack-delete', stack['id'])
    assert result.exit_code == 0, result.stderr
    job_id = given('job-list', '--kind', 'stack.delete')['jobs'][0]['id']
    assert result.stdout.strip() == (
        'deletion of stack web (%s) accepted; follow it with: mw job-wait %s'
        % (stack['id'], job_id)
    )


def test_stack_events_table_and_json(mw, mw_json, given, tmp_path):
    stack = given.stack(tmp_path, count=1, clouds=['default'])['stack']
    result = mw('stack-events', stack['id'])
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[0] == ['Time', 'Kind', 'Node', 'Cloud', 'Message']
    kinds = [row[1] for row in rows[1:] if row[1]]
    assert kinds == [
        'stack.creating',
        'node.created',
        'node.running',
        'stack.active',
    ]
    events = mw_json('stack-events', stack['id'], '--limit', '1')['events']
    assert [e['kind'] for e in events] == kinds
    assert events[1]['cloud'] == 'default'


def test_stack_create_wait_on_a_terminal_shows_a_live_status_line(
    service, tmp_path
):
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            '-m',
            'dispatcher.cli',
            '--json',
            'stack-create',
            '-f',
            write_template(tmp_path, template(count=2)),
            '--wait',
        ],
        env=process_env(service.url),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=slave,
        text=True,
    )
    os.close(slave)
    try:
        stdout, _ = process.communicate(timeout=120)
        terminal = b''
        while select.select([master], [], [], 0)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            terminal += chunk
    finally:
        os.close(master)
    assert process.returncode == 0
    assert json.loads(stdout)['stack']['status'] == 'active'
    text = terminal.decode()
    assert text.startswith('\r\x1b[Kjob ')
    assert '(stack.create, 2/2 nodes running): succeeded  (' in text
    assert text.endswith('\r\n') and text.count('\n') == 1
