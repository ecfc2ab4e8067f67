"""``stack-*``: multi-cloud stacks from a YAML or JSON template.

Creating, scaling and deleting a stack are jobs of the service; each of
these commands prints the stack and its job, and with ``--wait`` follows
the job (see :func:`dispatcher.cli.jobs.follow_job`) and prints the
outcome, exiting 1 when the job did not succeed.
"""

import click

from dispatcher.cli.api_client import path
from dispatcher.cli.jobs import (
    describe_job,
    follow_job,
    job_failure,
    timeout_option,
)
from dispatcher.cli.output import print_json, print_list, print_object
from dispatcher.cli.resources import (
    find_id,
    find_item,
    limit_option,
    show_list,
)
from dispatcher.cli.session import json_option, pass_session
from dispatcher.cli.template_files import load_template

STACKS_ROUTE = '/v1/stacks'
STACK_ROUTE = STACKS_ROUTE + '/{stack_id}'

#: The request header that makes a retried creation safe.
IDEMPOTENCY_HEADER = 'Idempotency-Key'

STACK_STATES = (
    'creating',
    'active',
    'updating',
    'rolling_back',
    'rolled_back',
    'failed',
    'deleting',
    'deleted',
)

STACK_COLUMNS = [
    ('ID', 'id'),
    ('Name', 'name'),
    ('Status', 'status'),
    ('Groups', 'group_names'),
    ('Nodes', 'nodes_text'),
    ('Created', 'created_at'),
]

NODE_COLUMNS = [
    ('Name', 'name'),
    ('Group', 'group'),
    ('Cloud', 'cloud'),
    ('Provider ID', 'provider_id'),
    ('State', 'state'),
    ('Public IPs', 'public_ips'),
    ('Private IPs', 'private_ips'),
    ('Error', 'error.message'),
]

EVENT_COLUMNS = [
    ('Time', 'created_at'),
    ('Kind', 'kind'),
    ('Node', 'node'),
    ('Cloud', 'cloud'),
    ('Message', 'message'),
]

wait_option = click.option(
    '--wait',
    is_flag=True,
    help="Follow the stack's job until it has finished, its progress on "
    'stderr; exit 1 if it did not succeed.',
)


def group_text(group):
    """One group of a template: ``front: 2 x small img-1 on a, b``."""
    clouds = group.get('clouds') or [group.get('cloud')]
    text = '%s: %s x %s %s on %s' % (
        group.get('name'),
        group.get('count'),
        group.get('size'),
        group.get('image'),
        ', '.join(str(c) for c in clouds if c),
    )
    for key in ('location', 'key_name'):
        if group.get(key):
            text += ', %s %s' % (key, group[key])
    for cloud, own in sorted((group.get('per_cloud') or {}).items()):
        text += '; on %s: %s' % (
            cloud,
            ' '.join(str(v) for _, v in sorted(own.items())),
        )
    return text


def counts_text(counts):
    """Nodes by state: ``running 2, failed 1``."""
    return ', '.join('%s %s' % item for item in sorted((counts or {}).items()))


def print_stack(stack, job=None):
    """A stack as Property/Value, its nodes as a table, then its job."""
    print_object(
        dict(
            stack,
            groups='\n'.join(group_text(g) for g in stack.get('groups') or []),
        ),
        hidden=('nodes',),
    )
    if stack.get('nodes'):
        click.echo('Nodes:')
        print_list(stack['nodes'], NODE_COLUMNS)
    if job is not None:
        click.echo(
            'Job %s: %s'
            % (describe_job(job)[len('job ') :], job.get('status'))
        )
        if job.get('status') in ('queued', 'running'):
            click.echo('Follow it with: mw job-wait %s' % job.get('id'))


def show_answer(session, answer):
    """Print ``{stack, job}``: its JSON, or the stack and a job line."""
    if session.json_output:
        print_json(answer)
    else:
        print_stack(answer['stack'], answer.get('job'))


def follow(session, answer, timeout):
    """Follow the job of ``answer``; ``{stack, job}`` once it has finished.

    :raises CommandFailed: the job is still running after ``timeout``.
    """
    job = follow_job(session, answer['job']['id'], timeout)
    stack = session.client.get(
        path(STACK_ROUTE, stack_id=answer['stack']['id'])
    )['stack']
    return {'stack': stack, 'job': job}


def show_outcome(session, answer, timeout):
    """Follow the job, print the outcome; exit 1 if it did not succeed."""
    answer = follow(session, answer, timeout)
    show_answer(session, answer)
    if answer['job']['status'] != 'succeeded':
        raise job_failure(answer['job'])


@click.command('stack-create')
@click.option(
    '-f',
    '--file',
    'file_name',
    required=True,
    metavar='FILE',
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help='The stack template: YAML (.yaml, .yml) or JSON (.json); '
    'any other name is read as JSON, then YAML; - reads '
    'stdin.',
)
@wait_option
@timeout_option
@click.option(
    '--idempotency-key',
    metavar='KEY',
    help='Sent as Idempotency-Key: a retry with the same key and '
    'template gets the first answer instead of a new stack.',
)
@json_option
@pass_session
def stack_create(session, file_name, wait, timeout, idempotency_key):
    """Create a stack from a template file.

    \b
    A template names the stack and its groups of nodes, e.g. in YAML:
      name: web
      on_failure: rollback        # or keep
      groups:
        - name: front
          clouds: [default, sim-eu]
          size: small
          image: img-ubuntu-24.04
          count: 2
          per_cloud:              # a cloud's own size, image...
            sim-eu: {size: medium}

    Everything is checked before any node is made; a bad field exits 1
    naming it (e.g. groups[0].size).
    """
    template = load_template(file_name)
    headers = (
        {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else None
    )
    answer = session.client.post(STACKS_ROUTE, template, headers=headers)
    if wait:
        show_outcome(session, answer, timeout)
    else:
        show_answer(session, answer)


@click.command('stack-list')
@click.option(
    '--status',
    type=click.Choice(STACK_STATES),
    help='Only stacks in this status (deleted stacks are listed '
    'only with --status deleted).',
)
@click.option('--name', help='Only the stack of this name.')
@limit_option
@json_option
@pass_session
def stack_list(session, status, name, limit):
    """List the stacks, newest first."""
    answer = session.client.list_all(
        STACKS_ROUTE, 'stacks', {'status': status, 'name': name}, limit
    )
    if session.json_output:
        print_json(answer)
        return
    print_list(
        [
            dict(
                stack,
                group_names=[g.get('name') for g in stack.get('groups') or []],
                nodes_text=counts_text(stack.get('node_counts')),
            )
            for stack in answer['stacks']
        ],
        STACK_COLUMNS,
    )


@click.command('stack-show')
@click.argument('stack', metavar='STACK')
@json_option
@pass_session
def stack_show(session, stack):
    """Show one stack (its ID or name): its properties and a table of its
    nodes."""
    answer = find_item(session, 'stack', STACK_ROUTE, stack)
    if session.json_output:
        print_json(answer)
    else:
        print_stack(answer['stack'])


@click.command('stack-scale')
@click.argument('stack', metavar='STACK')
@click.option(
    '--group',
    'groups',
    multiple=True,
    required=True,
    metavar='NAME',
    help='A group of the stack; repeat with --count for several groups.',
)
@click.option(
    '--count',
    'counts',
    multiple=True,
    required=True,
    type=click.IntRange(min=0),
    metavar='N',
    help="The group's new number of nodes (one --count per "
    '--group, in the same order).',
)
@wait_option
@timeout_option
@json_option
@pass_session
def stack_scale(session, stack, groups, counts, wait, timeout):
    """Change the number of nodes of groups of STACK (its ID or name).

    New nodes are created, surplus ones destroyed (failed ones first,
    then the newest), as a job.
    """
    if len(groups) != len(counts):
        raise click.UsageError(
            'give one --count per --group (%d --group, '
            '%d --count)' % (len(groups), len(counts))
        )
    body = {
        'groups': [
            {'name': name, 'count': count}
            for name, count in zip(groups, counts)
        ]
    }
    stack_id = find_id(session, 'stack', STACK_ROUTE, stack)
    answer = session.client.patch(
        path(STACK_ROUTE, stack_id=stack_id), body=body
    )
    if wait:
        show_outcome(session, answer, timeout)
    else:
        show_answer(session, answer)


@click.command('stack-delete')
@click.argument('stack', metavar='STACK')
@wait_option
@timeout_option
@json_option
@pass_session
def stack_delete(session, stack, wait, timeout):
    """Destroy every node of STACK (its ID or name), as a job.

    Deleting a stack already deleted, or being deleted, is not an error.
    """
    stack_id = find_id(session, 'stack', STACK_ROUTE, stack)
    answer = session.client.delete(path(STACK_ROUTE, stack_id=stack_id))
    if wait:
        answer = follow(session, answer, timeout)
    stack, job = answer['stack'], answer['job']
    if session.json_output:
        print_json(answer)
    elif job['status'] == 'succeeded':
        click.echo('stack %s (%s) deleted' % (stack['name'], stack['id']))
    elif job['status'] in ('queued', 'running'):
        click.echo(
            'deletion of stack %s (%s) accepted; follow it with: '
            'mw job-wait %s' % (stack['name'], stack['id'], job['id'])
        )
    else:
        print_stack(stack, job)
    if job['status'] in ('failed', 'cancelled'):
        raise job_failure(job)


@click.command('stack-events')
@click.argument('stack', metavar='STACK')
@limit_option
@json_option
@pass_session
def stack_events(session, stack, limit):
    """List the history of STACK (its ID or name), oldest first."""
    stack_id = find_id(session, 'stack', STACK_ROUTE, stack)
    show_list(
        session,
        path(STACK_ROUTE + '/events', stack_id=stack_id),
        'events',
        EVENT_COLUMNS,
        limit=limit,
    )


COMMANDS = [
    stack_create,
    stack_list,
    stack_show,
    stack_scale,
    stack_delete,
    stack_events,
]
