"""Stacks as the API offers them: create, list, show, scale, delete, history.

Every change is recorded first (the stack, its planned nodes, a queued job)
and then handed to the job executor; the provider work happens in the job
(:mod:`dispatcher.services.stack_reconciler`).  The answers are the stack
and its job, as the API renders them.
"""

import collections

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dispatcher import errors
from dispatcher.services import idempotency, keyset, visibility
from dispatcher.services import jobs as job_service
from dispatcher.services.documents import as_document
from dispatcher.services.stack_records import (
    STACK_STATES,
    add_event,
    describe_event,
    describe_stack,
    find_stack,
    node_counts,
    plan_nodes,
    stack_nodes,
)
from dispatcher.services.stack_templates import validate_create, validate_scale
from dispatcher.storage.models import Stack, StackEvent, StackNode
from dispatcher.storage.types import utcnow

#: How an accepted creation is remembered for its ``Idempotency-Key``.
ACCEPTED = 202


class Orchestration(
    collections.namedtuple(
        'Orchestration', 'database farm executor config inventory'
    )
):
    """What the stack services work with: an app's parts."""


def _find(env, session, stack_id, lock=False):
    """:func:`find_stack`; a stack on a cloud outside ``env.farm`` (the
    caller's view of the farm) is not found either."""
    return visibility.require_visible(
        session,
        find_stack(session, stack_id, lock),
        visibility.visible_stacks,
        env.farm.scope,
        errors.NotFound(
            'stack %r not found' % stack_id, code='stack_not_found'
        ),
    )


def _answer(session, stack, job):
    session.flush()
    return {
        'stack': describe_stack(
            stack, stack_nodes(session, stack.id, include_gone=True)
        ),
        'job': job_service.describe(job),
    }


def create_stack(env, body, requested_by, idempotency_key=None):
    """Record a stack and queue its creation; the answer (the stack and
    its job).

    With ``idempotency_key``, a retried request gets the first answer.
    """
    key = idempotency.check_key(idempotency_key)
    scope = ('stacks.create:%s' % requested_by)[:64]
    digest = idempotency.fingerprint('POST /v1/stacks', body)
    if key:
        with env.database.session() as session:
            stored = idempotency.replay(session, scope, key, digest)
        if stored:
            return stored[1]
    template = validate_create(
        env.farm,
        body,
        env.config.get('STACK_TIMEOUT', 1800),
        env.config.get('STACK_MAX_NODES', 500),
        env.inventory.catalogue_keys,
    )
    try:
        with env.database.session(write=True) as session:
            stored = key and idempotency.replay(session, scope, key, digest)
            if stored:
                return stored[1]
            _check_name_free(session, template['name'])
            now = utcnow()
            stack = Stack(
                name=template['name'],
                status='creating',
                template=template,
                timeout=template['timeout'],
                on_failure=template['on_failure'],
                requested_by=requested_by,
                created_at=now,
                updated_at=now,
            )
            session.add(stack)
            session.flush()
            total = sum(group['count'] for group in template['groups'])
            job = job_service.new_job(
                session,
                'stack.create',
                requested_by,
                target_type='stack',
                target_id=stack.id,
                total=total,
            )
            stack.job_id = job.id
            for group in template['groups']:
                plan_nodes(session, stack, group, 1, group['count'], job.id)
            add_event(
                session,
                stack.id,
                'stack.creating',
                'stack %s asked for: %d nodes' % (stack.name, total),
            )
            answer = _answer(session, stack, job)
            if key:
                idempotency.remember(
                    session, scope, key, digest, ACCEPTED, as_document(answer)
                )
    except IntegrityError:
        if key:
            with env.database.session() as session:
                stored = idempotency.replay(session, scope, key, digest)
            if stored:
                return stored[1]
        raise _name_taken(template['name'])
    env.executor.submit(job.id)
    return answer


def _name_taken(name):
    return errors.Conflict(
        'a stack named %r exists; delete it first or '
        'choose another name' % name,
        field='name',
        code='stack_exists',
    )


def _check_name_free(session, name):
    if session.scalar(
        select(Stack.id).where(Stack.name == name, Stack.status != 'deleted')
    ):
        raise _name_taken(name)


def list_stacks(env, limit, marker=None, status=None, name=None):
    """``(stacks, next_marker)``, newest first; deleted stacks only when
    ``status=deleted`` asks for them."""
    status = keyset.choice(status, STACK_STATES, 'status')
    statement = select(Stack)
    statement = (
        statement.where(Stack.status == status)
        if status
        else statement.where(Stack.status != 'deleted')
    )
    if name:
        statement = statement.where(Stack.name == name)
    env.executor.wake()
    with env.database.session() as session:
        rows, next_marker = visibility.page(
            session,
            statement,
            Stack,
            limit,
            marker,
            visibility.visible_stacks,
            env.farm.scope,
        )
        counts = node_counts(session, [stack.id for stack in rows])
        return [
            describe_stack(stack, counts=counts.get(stack.id, {}))
            for stack in rows
        ], next_marker


def get_stack(env, stack_id):
    """One stack with every node it made (destroyed ones included)."""
    env.executor.wake()
    with env.database.session() as session:
        stack = _find(env, session, stack_id)
        return describe_stack(stack, stack_nodes(session, stack_id, True))


def _busy(session, stack):
    running = job_service.unfinished_job_of(session, stack.id)
    if running is not None:
        raise errors.Conflict(
            'stack %r is busy with job %s (%s); wait for it or cancel it'
            % (stack.name, running.id, running.kind),
            code='stack_busy',
        )


def scale_stack(env, stack_id, body, requested_by):
    """Change groups' counts as a ``stack.scale`` job; the answer."""
    with env.database.session(write=True) as session:
        stack = _find(env, session, stack_id, lock=True)
        if stack.status not in ('active', 'failed'):
            raise errors.Conflict(
                'stack %r is %s; only an active or failed stack can be '
                'scaled' % (stack.name, stack.status),
                code='invalid_state',
            )
        _busy(session, stack)
        counts = validate_scale(
            stack.template, body, env.config.get('STACK_MAX_NODES', 500)
        )
        job = job_service.new_job(
            session,
            'stack.scale',
            requested_by,
            params={'counts': counts},
            target_type='stack',
            target_id=stack.id,
        )
        groups = {group['name']: group for group in stack.template['groups']}
        for name, count in counts.items():
            _plan_scale(session, stack, groups[name], count, job.id)
        stack.template = dict(
            stack.template,
            groups=[
                dict(g, count=counts.get(g['name'], g['count']))
                for g in stack.template['groups']
            ],
        )
        stack.job_id = job.id
        stack.status = 'updating'
        stack.updated_at = utcnow()
        add_event(
            session,
            stack.id,
            'stack.scaling',
            'new counts: %s'
            % (', '.join('%s=%d' % item for item in sorted(counts.items()))),
        )
        answer = _answer(session, stack, job)
    env.executor.submit(job.id)
    return answer


def _plan_scale(session, stack, group, count, job_id):
    nodes = session.scalars(
        select(StackNode).where(
            StackNode.stack_id == stack.id,
            StackNode.group_name == group['name'],
        )
    ).all()
    live = [n for n in nodes if n.state not in ('destroyed', 'removing')]
    # Failed nodes are replaced: scaling to the same count repairs a group.
    going = [n for n in live if n.state == 'failed']
    healthy = sorted(
        (n for n in live if n.state != 'failed'), key=lambda n: n.index
    )
    if count < len(healthy):
        going += healthy[count:]  # the newest go first
    for node in going:
        node.state = 'removing'
        node.updated_at = utcnow()
    if count > len(healthy):
        start = max([n.index for n in nodes] or [0]) + 1
        plan_nodes(session, stack, group, start, count - len(healthy), job_id)


def delete_stack(env, stack_id, requested_by):
    """Destroy everything the stack made, as a ``stack.delete`` job.

    Idempotent: a stack already deleted, or being deleted, answers with
    its delete job.  A job still running on the stack is asked to cancel
    and finishes first.
    """
    with env.database.session(write=True) as session:
        stack = _find(env, session, stack_id, lock=True)
        running = job_service.unfinished_job_of(session, stack.id)
        if stack.status == 'deleted' or (
            running is not None and running.kind == 'stack.delete'
        ):
            job = running or job_service.find_job(session, stack.job_id)
            return _answer(session, stack, job)
        if running is not None:
            running.cancel_requested = True
        job = job_service.new_job(
            session,
            'stack.delete',
            requested_by,
            target_type='stack',
            target_id=stack.id,
        )
        stack.job_id = job.id
        stack.updated_at = utcnow()
        add_event(
            session,
            stack.id,
            'stack.delete_requested',
            'deletion asked for by %s' % requested_by,
        )
        answer = _answer(session, stack, job)
    env.executor.submit(job.id)
    return answer


def list_events(env, stack_id, limit, marker=None):
    """``(events, next_marker)`` of a stack's history, oldest first."""
    with env.database.session() as session:
        _find(env, session, stack_id)
        rows, next_marker = keyset.page(
            session,
            select(StackEvent).where(StackEvent.stack_id == stack_id),
            StackEvent,
            limit,
            marker,
            key=StackEvent.seq,
        )
        return [describe_event(event) for event in rows], next_marker
