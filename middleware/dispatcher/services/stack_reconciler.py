"""The stack jobs: create, scale and delete, resumable after a crash.

Each handler works from what the database says, so a job taken up again by
another process (its first process was killed) carries on where the record
ends: planned nodes are created, a node whose creation was interrupted is
looked for at the provider by its unique name, waiting resumes, and a
rollback in progress is finished.  The stack always ends in a defined state
and every node a provider made is either part of the stack or destroyed.
"""

import time

from sqlalchemy import func, select

from dispatcher import errors
from dispatcher.jobs.runner import JobCancelled, JobFailed
from dispatcher.services import stack_fanout, stack_nodes
from dispatcher.services.stack_records import (
    GONE,
    NODE_FAILED,
    find_stack,
    set_stack_status,
)
from dispatcher.services.stack_records import stack_nodes as live_nodes
from dispatcher.storage.models import Job, StackNode

#: Seconds before the first look at new nodes, growth factor, largest wait.
POLL_FIRST, POLL_FACTOR, POLL_MAX = 0.2, 1.5, 5.0


class StackFailed(Exception):
    """The stack cannot reach its goal; ``error`` says why."""

    def __init__(self, error):
        super(StackFailed, self).__init__(error.message)
        self.error = error


def _stack(context):
    with context.database.session() as session:
        return find_stack(session, context.target_id)


def _nodes(context, include_gone=False, criteria=()):
    with context.database.session() as session:
        return live_nodes(session, context.target_id, include_gone, criteria)


def _set_status(context, status, error=None, event=None, message=None):
    with context.database.session(write=True) as session:
        stack = find_stack(session, context.target_id, lock=True)
        set_stack_status(session, stack, status, error, event, message)
        if status in ('active', 'rolled_back', 'deleted', 'failed'):
            counts = {}
            for node in live_nodes(session, stack.id):
                counts[node.group_name] = counts.get(node.group_name, 0) + 1
            template = dict(stack.template)
            template['groups'] = [
                dict(g, count=counts.get(g['name'], 0))
                for g in template['groups']
            ]
            stack.template = template


def _raise_first(failures):
    """Raise the most telling failure of a parallel pass (``{index:
    exception}``), if any."""
    stack_nodes.raise_first(failures.values())


def _sleep(context, seconds):
    end = time.monotonic() + seconds
    while True:
        context.check()
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.25))


def _failure(nodes, message, code='stack_failed', error_class=None):
    failed = [
        {'node': n.name, 'cloud': n.cloud, 'error': n.error} for n in nodes
    ]
    text = '; '.join(
        '%s: %s' % (n.name, (n.error or {}).get('message', '?'))
        for n in nodes[:3]
    )
    return StackFailed(
        (error_class or errors.ProviderError)(
            '%s: %s%s' % (message, text, ' ...' if len(nodes) > 3 else ''),
            code=code,
            details={'failed_nodes': failed},
        )
    )


def _converge(context, stack):
    """Remove the nodes marked ``removing``, create this job's planned
    nodes and wait until they run; returns how many run, or raises
    :class:`StackFailed`."""
    nodes = _nodes(context)
    removing = [n for n in nodes if n.state == 'removing']
    if removing:
        known = stack_nodes.find_by_name(context, removing)
        _raise_first(
            context.slots.map(
                removing,
                lambda n: n.cloud,
                lambda n: stack_nodes.destroy(context, n.id, known, True),
                holds=True,
            )
        )
    mine = [
        n
        for n in nodes
        if n.job_id == context.job_id and n.state != 'removing'
    ]
    context.progress(total=len(mine) + len(removing))
    spread = _create(
        context, [n for n in mine if n.state in ('planned', 'creating')]
    )
    deadline = context.started_at.timestamp() + stack.timeout
    # After child jobs, whose creates began long ago, the first look is
    # at once; after creates made here, once the nodes had time to boot.
    delay = 0.0 if spread else POLL_FIRST
    while True:
        # Only the job's nodes that do not run yet are loaded: a big
        # stack's running ones are counted.
        unsettled = _nodes(
            context,
            criteria=(
                StackNode.job_id == context.job_id,
                StackNode.state != 'running',
            ),
        )
        failed = [n for n in unsettled if n.state in NODE_FAILED]
        if failed and stack.on_failure == 'rollback':
            raise _failure(
                failed,
                '%d of %d nodes failed' % (len(failed), _count_mine(context)),
            )
        waiting = [n for n in unsettled if n not in failed]
        if not waiting:
            if failed:
                raise _failure(
                    failed,
                    '%d of %d nodes failed'
                    % (len(failed), _count_mine(context)),
                )
            return _count_mine(context)
        if time.time() >= deadline:
            for node in waiting:
                stack_nodes.save(
                    context,
                    node.id,
                    state='failed',
                    error=errors.CloudTimeout(
                        'node %s was not running after the '
                        "stack's timeout of %d s" % (node.name, stack.timeout),
                        cloud=node.cloud,
                        code='stack_timeout',
                    ).to_dict(),
                    event=('node.failed', 'node %s timed out' % node.name),
                    step=('create %s' % node.name, 'failed'),
                )
            raise _failure(
                waiting + failed,
                'the stack was not running after %d s' % stack.timeout,
                'stack_timeout',
                errors.CloudTimeout,
            )
        _sleep(context, min(delay, max(0.0, deadline - time.time())))
        delay = min(max(delay * POLL_FACTOR, POLL_FIRST), POLL_MAX)
        stack_nodes.refresh(context, waiting)


def _count_mine(context):
    """How many of the stack's nodes (not destroyed) this job made."""
    with context.database.session() as session:
        return session.scalar(
            select(func.count())
            .select_from(StackNode)
            .where(
                StackNode.stack_id == context.target_id,
                StackNode.job_id == context.job_id,
                StackNode.state.notin_(GONE),
            )
        )


def _create(context, nodes):
    """Create ``nodes``: on child jobs spread over the workers when there
    are many (:mod:`~dispatcher.services.stack_fanout`), then here the
    ones left (all of them with a single worker).  Whether children
    did."""
    spread = stack_fanout.spread(
        context,
        nodes,
        meanwhile=lambda recording: _observe_created(context, recording),
    )
    if spread:
        wanted = {n.id for n in nodes}
        nodes = [
            n
            for n in _nodes(
                context,
                criteria=(StackNode.state.in_(('planned', 'creating')),),
            )
            if n.id in wanted
        ]
    _create_here(context, nodes)
    return spread


def _observe_created(context, recording):
    """While child jobs create this job's nodes, record which of those
    they have made already run (one listing per cloud; written within
    ``recording``, see :func:`.stack_nodes.refresh`): the work of watching
    them boot is done alongside, and the wait that follows the children
    ends at its first look rather than after a listing of every node of
    the stack at once."""
    made = _nodes(
        context,
        criteria=(
            StackNode.job_id == context.job_id,
            StackNode.provider_id.is_not(None),
            StackNode.state.notin_(('running', 'removing') + NODE_FAILED),
        ),
    )
    if made:
        stack_nodes.refresh(context, made, progress=False, recording=recording)


def _create_here(context, nodes):
    known = stack_nodes.find_by_name(context, nodes)
    # Nothing to look for at the providers: every node still to make is
    # recorded ``creating`` at once, rather than one at a time.
    started = (
        {} if known else stack_nodes.start_all(context, [n.id for n in nodes])
    )
    _raise_first(
        context.slots.map(
            nodes,
            lambda n: n.cloud,
            lambda n: stack_nodes.create(
                context, n.id, known, started.get(n.id)
            ),
            holds=True,
        )
    )


def _roll_back(context):
    """Destroy every node this job made (a crash mid-way resumes here)."""
    mine = [n for n in _nodes(context) if n.job_id == context.job_id]
    context.progress(
        total=len(mine)
        + len([n for n in _nodes(context, True) if n.job_id == context.job_id])
    )
    known = stack_nodes.find_by_name(context, mine)
    _raise_first(
        context.slots.map(
            mine,
            lambda n: n.cloud,
            lambda n: stack_nodes.destroy(context, n.id, known),
            holds=True,
        )
    )


def _give_up(context, stack, error, settled):
    """After a failure or cancellation: roll back or keep, as asked."""
    if stack.on_failure == 'rollback':
        _set_status(context, 'rolling_back', error.to_dict())
        _roll_back(context)
        _set_status(
            context,
            settled,
            error.to_dict(),
            event='rolled_back',
            message="the stack's new nodes were destroyed",
        )
    else:
        _set_status(context, 'failed', error.to_dict())


def _stored_error(stack):
    error = stack.error or {}
    return errors.MiddlewareError(
        error.get('message', 'the stack failed'),
        code=error.get('code', 'stack_failed'),
        status=error.get('status'),
    )


def _run(context, goal, settled, working):
    """Create/scale: converge, then ``goal``; on failure roll back to
    ``settled`` or keep.  ``working``: the stack's status while it runs."""
    stack = _stack(context)
    if stack.status == 'rolling_back':
        _roll_back(context)
        _set_status(context, settled, stack.error, event='rolled_back')
        if context.cancel_requested():
            raise JobCancelled(context.job_id)
        raise JobFailed(_stored_error(stack), _summary(context))
    if stack.status in ('failed', 'rolled_back'):
        raise JobFailed(_stored_error(stack), _summary(context))
    if stack.status != working:
        # Finished before a crash, only the job's record was left behind.
        return _summary(context)
    try:
        running = _converge(context, stack)
    except StackFailed as failure:
        _give_up(context, stack, failure.error, settled)
        raise JobFailed(failure.error, _summary(context))
    except errors.MiddlewareError as exc:
        _give_up(context, stack, exc, settled)
        raise JobFailed(exc, _summary(context))
    except JobCancelled:
        _give_up(
            context,
            stack,
            errors.Conflict('the job was cancelled', code='job_cancelled'),
            settled,
        )
        raise
    _set_status(
        context,
        'active',
        event=goal,
        message='%d nodes are running' % running,
    )
    return _summary(context)


def _summary(context):
    """The job's result: how many of the stack's nodes are in each state
    (counted by the database)."""
    with context.database.session() as session:
        counts = dict(
            session.execute(
                select(StackNode.state, func.count())
                .where(StackNode.stack_id == context.target_id)
                .group_by(StackNode.state)
            ).all()
        )
    return {'stack_id': context.target_id, 'node_states': counts}


def create_stack(context):
    """Job ``stack.create``: every node created and running, or rolled back
    (``on_failure: rollback``) or kept and reported (``keep``)."""
    return _run(context, 'active', 'rolled_back', 'creating')


def scale_stack(context):
    """Job ``stack.scale``: the groups' new counts reached."""
    return _run(context, 'scaled', 'active', 'updating')


def _wait_for_earlier_jobs(context):
    """Let the stack's earlier jobs (asked to cancel) finish first."""
    while True:
        with context.database.session() as session:
            mine = select(Job.seq).where(Job.id == context.job_id)
            other = session.scalars(
                select(Job.id).where(
                    Job.target_id == context.target_id,
                    Job.seq < mine.scalar_subquery(),
                    Job.status.in_(('queued', 'running')),
                )
            ).first()
        if other is None:
            return
        _sleep(context, 0.5)


def delete_stack(context):
    """Job ``stack.delete``: every node the stack made destroyed (a node
    already gone at the provider is not an error)."""
    _wait_for_earlier_jobs(context)
    _set_status(context, 'deleting')
    nodes = _nodes(context)
    context.progress(total=len(nodes))
    known = stack_nodes.find_by_name(context, nodes)
    failures = context.slots.map(
        nodes,
        lambda n: n.cloud,
        lambda n: stack_nodes.destroy(context, n.id, known, True),
        holds=True,
    )
    destroyed = [
        n
        for n in _nodes(context, include_gone=True)
        if n.state == 'destroyed' and n.provider_id is not None
    ]
    # Gone only when the providers no longer list them.
    unconfirmed = stack_nodes.confirm_gone(
        context,
        destroyed,
        float(context.app.config.get('DELETE_CONFIRM_SECONDS', 60)),
    )
    try:
        _raise_first(
            {
                i: exc
                for i, exc in failures.items()
                if not isinstance(exc, errors.MiddlewareError)
            }
        )
    except JobCancelled:
        _set_status(
            context,
            'failed',
            errors.Conflict(
                'the deletion was cancelled; DELETE the stack again to finish '
                'it',
                code='job_cancelled',
            ).to_dict(),
            event='delete_cancelled',
        )
        raise
    if failures or unconfirmed:
        error = errors.ProviderError(
            '%d nodes could not be destroyed; DELETE the stack again to '
            'retry' % (len(failures) + len(unconfirmed)),
            code='stack_delete_failed',
            details={
                'still_listed': [
                    {'node': n.name, 'cloud': n.cloud, 'error': n.error}
                    for n in unconfirmed
                ]
            }
            if unconfirmed
            else None,
        )
        _set_status(context, 'failed', error.to_dict(), event='delete_failed')
        raise JobFailed(error, _summary(context))
    _set_status(context, 'deleted')
    return _summary(context)
