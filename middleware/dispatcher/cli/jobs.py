"""``job-*``: the service's long-running operations, and following one.

A job reports ``progress`` (``done`` of ``total`` steps) and, in its
detailed view, one step per node it works on; :func:`follow_job` turns
them into a status line such as ``3/12 nodes running`` while it waits.
"""

import click

from dispatcher.cli.api_client import path
from dispatcher.cli.errors import CommandFailed, describe_error
from dispatcher.cli.output import (
    format_value,
    print_json,
    print_list,
    print_object,
)
from dispatcher.cli.progress import poll_until
from dispatcher.cli.resources import limit_option, report
from dispatcher.cli.session import json_option, pass_session

JOBS_ROUTE = '/v1/jobs'
JOB_ROUTE = JOBS_ROUTE + '/{job_id}'

#: States a job does not leave.
FINAL_JOB_STATES = ('succeeded', 'failed', 'cancelled')

#: Seconds between two looks at a job being followed.
POLL_INTERVAL = 0.5

JOB_COLUMNS = [
    ('ID', 'id'),
    ('Kind', 'kind'),
    ('Status', 'status'),
    ('Progress', 'progress_text'),
    ('Target', 'target_text'),
    ('Requested by', 'requested_by'),
    ('Created', 'created_at'),
    ('Finished', 'finished_at'),
]

STEP_COLUMNS = [
    ('Step', 'name'),
    ('Status', 'status'),
    ('Result', 'result_text'),
    ('Error', 'error.message'),
]

timeout_option = click.option(
    '--timeout',
    type=click.FloatRange(min=0),
    default=1800.0,
    metavar='SECONDS',
    show_default=True,
    help='Seconds to wait for the job at most.',
)


def progress_text(job):
    """What a job has done so far: ``3/12 nodes running, 1 failed``.

    Stack creations count the nodes their steps found running, deletions
    the nodes destroyed, other jobs their steps done.  Without ``steps`` (a
    job in a list) the count is the job's ``progress``.
    """
    progress = job.get('progress') or {}
    total = progress.get('total') or 0
    steps = job.get('steps')
    states = [
        (str(s.get('name')).split(' ', 1)[0], _step_state(s))
        for s in steps or ()
        if s.get('status') != 'failed'
    ]
    failed = sum(1 for s in steps or () if s.get('status') == 'failed')
    kind = job.get('kind')
    created, destroyed = ('create', 'running'), ('destroy', 'destroyed')
    if kind == 'stack.create' and destroyed not in states:
        what, done = 'nodes running', states.count(created)
    elif kind == 'stack.delete':
        what, done = 'nodes destroyed', states.count(destroyed)
    else:
        what, done = 'steps done', progress.get('done') or 0
    if steps is None:
        done = progress.get('done') or 0
    return '%d/%d %s%s' % (
        done,
        total,
        what,
        ', %d failed' % failed if failed else '',
    )


def _step_state(step):
    result = step.get('result')
    return result.get('state') if isinstance(result, dict) else None


def describe_job(job):
    """``job ID (KIND, 3/12 nodes running)``, for status lines and
    messages (without the progress while the job knows no steps)."""
    if not (job.get('progress') or {}).get('total'):
        return 'job %s (%s)' % (job.get('id'), job.get('kind'))
    return 'job %s (%s, %s)' % (
        job.get('id'),
        job.get('kind'),
        progress_text(job),
    )


def job_failure(job):
    """The :class:`CommandFailed` of a job that did not succeed."""
    error = job.get('error')
    if isinstance(error, dict):
        reason = describe_error(error.get('status'), error)
    else:
        reason = (
            'the job was cancelled'
            if job.get('status') == 'cancelled'
            else 'no error was recorded'
        )
    return CommandFailed(
        'job %s (%s) %s: %s'
        % (job.get('id'), job.get('kind'), job.get('status'), reason)
    )


def follow_job(session, job_id, timeout):
    """Poll job ``job_id`` until it has finished; its last detailed view.

    A status line on stderr shows its progress (live on a terminal, one
    line per change otherwise).  Whether it succeeded is for the caller to
    judge (see :func:`job_failure`).

    :raises CommandFailed: still unfinished after ``timeout`` seconds.
    """
    route = path(JOB_ROUTE, job_id=job_id)
    return poll_until(
        lambda: session.client.get(route)['job'],
        lambda job: job.get('status'),
        describe_job,
        FINAL_JOB_STATES,
        (),
        timeout,
        POLL_INTERVAL,
    )


def _job_row(job):
    target = job.get('target') or {}
    return dict(
        job,
        progress_text='%s/%s'
        % (
            (job.get('progress') or {}).get('done'),
            (job.get('progress') or {}).get('total'),
        ),
        target_text=' '.join(
            str(target[k]) for k in ('type', 'id') if target.get(k)
        ),
    )


def _step_row(step):
    result = step.get('result')
    if isinstance(result, dict):
        text = ', '.join(
            '%s=%s' % (key, format_value(value))
            for key, value in sorted(result.items())
        )
    else:
        text = format_value(result)
    return dict(step, result_text=text)


def print_job(job):
    """A job as Property/Value, then a table of its steps (if any)."""
    print_object(job, hidden=('steps',))
    steps = job.get('steps')
    if steps:
        click.echo('Steps:')
        print_list([_step_row(step) for step in steps], STEP_COLUMNS)


@click.command('job-list')
@click.option(
    '--status',
    type=click.Choice(('queued', 'running') + FINAL_JOB_STATES),
    help='Only jobs in this status.',
)
@click.option(
    '--kind',
    help='Only jobs of this kind (stack.create, stack.scale, stack.delete).',
)
@limit_option
@json_option
@pass_session
def job_list(session, status, kind, limit):
    """List the jobs, newest first."""
    answer = session.client.list_all(
        JOBS_ROUTE, 'jobs', {'status': status, 'kind': kind}, limit
    )
    if session.json_output:
        print_json(answer)
    else:
        print_list([_job_row(job) for job in answer['jobs']], JOB_COLUMNS)


@click.command('job-show')
@click.argument('job_id', metavar='ID')
@json_option
@pass_session
def job_show(session, job_id):
    """Show one job: its properties and the result of each step."""
    answer = session.client.get(path(JOB_ROUTE, job_id=job_id))
    if session.json_output:
        print_json(answer)
    else:
        print_job(answer['job'])


@click.command('job-steps')
@click.argument('job_id', metavar='ID')
@click.option(
    '--status',
    type=click.Choice(('running', 'succeeded', 'failed')),
    help='Only the steps in this status (failed: for a stack, the nodes '
    'that could not be made).',
)
@limit_option
@json_option
@pass_session
def job_steps(session, job_id, status, limit):
    """List the steps of job ID in the order they began, page by page."""
    answer = session.client.list_all(
        path(JOB_ROUTE + '/steps', job_id=job_id),
        'steps',
        {'status': status},
        limit,
    )
    if session.json_output:
        print_json(answer)
    else:
        print_list([_step_row(step) for step in answer['steps']], STEP_COLUMNS)


@click.command('job-wait')
@click.argument('job_id', metavar='ID')
@timeout_option
@json_option
@pass_session
def job_wait(session, job_id, timeout):
    """Wait until job ID has finished, showing its progress on stderr.

    Prints the finished job.  Exits 0 when it succeeded, 1 when it failed
    or was cancelled (with its error) or is still running after --timeout
    seconds.
    """
    job = follow_job(session, job_id, timeout)
    if session.json_output:
        print_json({'job': job})
    else:
        print_job(job)
    if job['status'] != 'succeeded':
        raise job_failure(job)


@click.command('job-cancel')
@click.argument('job_id', metavar='ID')
@json_option
@pass_session
def job_cancel(session, job_id):
    """Ask job ID to stop.

    It stops at its next step; a stack job first rolls back or keeps what
    it made, as the stack's on_failure says.  Follow it with job-wait.
    """
    answer = session.client.post(path(JOB_ROUTE + '/cancel', job_id=job_id))
    job = answer['job']
    report(
        session,
        answer,
        'cancellation of job %s (%s) requested; status: '
        '%s' % (job['id'], job['kind'], job['status']),
    )


COMMANDS = [job_list, job_show, job_steps, job_wait, job_cancel]
