"""The provider work on one node of a stack, recorded as it happens.

Each function reads the node's row, asks its cloud (through the cloud's
worker threads, which bound concurrency and apply the timeout), and writes
the outcome at once: the provider id is recorded the moment the provider
returns it, next to the node's event and the job's step.  A node whose
creation was interrupted (no id recorded) is looked for by its unique name.
"""

import contextlib
import functools
import logging
import threading
import time

import cachetools
from sqlalchemy import bindparam, select, update

from dispatcher import errors
from dispatcher.jobs.runner import JobCancelled, JobInterrupted
from dispatcher.lib.cloud import gated
from dispatcher.lib.cloud_factory.drivers import GenericDriver
from dispatcher.services import compute, retries
from dispatcher.services.farm import EXTENSION as FARM
from dispatcher.services.stack_records import (
    NODE_FAILED,
    add_event,
    add_events,
)
from dispatcher.storage import statements
from dispatcher.storage.models import StackNode
from dispatcher.storage.types import utcnow

LOG = logging.getLogger(__name__)


def farm_of(context):
    """The farm of the job's app."""
    return context.app.extensions[FARM]


def inventory_of(context):
    """The inventory of the job's app."""
    # Imported here: the services container imports this module.
    from dispatcher.services.container import EXTENSION

    return context.app.extensions[EXTENSION].inventory


#: The table of the stacks' nodes: a node's writes are plain statements
#: (each node made writes its row three times).
NODES = StackNode.__table__


def slot_gate(context, cloud, cancellable=True, spare=False):
    """The job's gate to ``cloud``'s slots: it waits in the job's family
    and rank, and after the wait checks that the job may still go on (its
    turn, a cancellation).  A ``spare`` wait (for work taken over from
    another job of the family) comes after every other wait of the
    family in this process: a slot goes to it only when no job of the
    family here has work of its own waiting for one."""
    return context.slots.gate(
        cloud,
        functools.partial(context.check, cancellable=cancellable),
        context.family,
        (spare, context.rank),
    )


def calls_within_slots(context, cloud, cancellable=True, taken=None):
    """While the block runs, each provider call to ``cloud`` takes one of
    the cloud's job slots (:func:`slot_gate`), and gives it back once the
    provider answered (see :func:`dispatcher.lib.cloud.gated`).  With
    ``taken`` (a :class:`~dispatcher.jobs.limits.Taken`), the first call
    uses the slot the caller holds already."""
    return gated(
        cloud,
        taken if taken is not None else slot_gate(context, cloud, cancellable),
    )


def raise_first(failures):
    """Raise the most telling of ``failures`` (exceptions of a parallel
    pass), if any: an interruption, then a cancellation, then the first."""
    ranked = sorted(
        failures,
        key=lambda exc: (
            not isinstance(exc, JobInterrupted),
            not isinstance(exc, JobCancelled),
        ),
    )
    if ranked:
        raise ranked[0]


def load(context, node_id):
    with context.database.session() as session:
        return session.scalars(
            select(StackNode).where(StackNode.id == node_id)
        ).one()


def save(context, node_id, event=None, step=None, session=None, **changes):
    """Update a node, and record its event and job step, in one
    transaction (``session``'s when given: the caller commits, and
    records the job's progress).  ``event``: ``(kind, message)``;
    ``step``: ``(name, status)``, whose result is the node as updated
    (with its error)."""
    if session is None:
        with context.database.session(write=True) as session:
            node = save(context, node_id, event, step, session, **changes)
            if step is not None:
                context.progress(session=session, soon=True)
            return node
    node = _update(session, node_id, changes).one()
    if event is not None:
        add_event(
            session,
            node.stack_id,
            event[0],
            event[1],
            node=node,
            details={'error': node.error} if node.error else None,
        )
    if step is not None:
        name, status = step
        context.record_step(
            name,
            status,
            _result(node),
            node.error if status == 'failed' else None,
            session=session,
            progress=False,
        )
    return node


def _update(session, node_id, changes, states=()):
    """One statement: the node updated with ``changes`` (if its state is
    one of ``states``, when given) and read back as it now is; a result of
    its row, or of none."""
    changes = dict(changes, updated_at=utcnow())
    return session.connection().execute(
        _update_statement(tuple(sorted(changes)), tuple(states)),
        statements.values(changes, node_id=node_id),
    )


@statements.once_per_shape
def _update_statement(columns, states):
    statement = update(NODES).where(NODES.c.id == bindparam('node_id'))
    if states:
        statement = statement.where(NODES.c.state.in_(states))
    return statement.values(statements.binds(columns)).returning(*NODES.c)


def _result(node):
    return {
        'node': node.name,
        'cloud': node.cloud,
        'provider_id': node.provider_id,
        'state': node.state,
    }


def _created(context, node, found, how):
    # A cloud may answer with a node already running: then its step is
    # done now, as the wait loop only looks at nodes not running yet.
    running = found.state == 'running'
    node = save(
        context,
        node.id,
        provider_id=found.id,
        state=found.state.value,
        public_ips=found.public_ips or [],
        private_ips=found.private_ips or [],
        error=None,
        event=(
            'node.created',
            'node %s %s on %s as %s' % (node.name, how, node.cloud, found.id),
        ),
        step=('create %s' % node.name, 'succeeded' if running else 'running'),
    )
    if running:
        node = save(
            context,
            node.id,
            event=('node.running', 'node %s is running' % node.name),
        )
    return node


def find_by_name(context, nodes):
    """``{(cloud, name): node}`` at the providers, for the nodes whose
    provider id may be unknown (their creation was interrupted or failed).
    """
    clouds = sorted(
        {
            n.cloud
            for n in nodes
            if n.provider_id is None and n.state in ('creating', 'failed')
        }
    )
    farm = farm_of(context)
    config = context.app.config
    calls = [
        (name, farm.get(name).submit(GenericDriver.list_nodes))
        for name in clouds
    ]
    found = {}
    for name, call in calls:
        pending = [call]

        def listing(name=name, pending=pending):
            # The first attempt takes the answer already asked for.
            if pending:
                return pending.pop().result()
            return farm.get(name).list_nodes()

        items = retries.call(
            config, 'listing the nodes of cloud %r' % name, listing
        )
        for item in items:
            found[(name, item.name)] = item
    return found


#: Nodes :func:`start_all` moves to ``creating`` per statement at most.
START_CHUNK = 500


def start_all(context, node_ids, planned_only=False):
    """Record every node of ``node_ids`` still to make ``creating``,
    claimed by the job, a few hundred per statement, before any of them
    is asked for; returns ``{node_id: node}`` of those (read back by the
    same statement).  With ``planned_only``, a node ``creating`` already
    (claimed by another job) is left alone.

    For a job that found nothing to look for at the providers
    (:func:`find_by_name` answered nothing): each node's :func:`create`
    then goes straight to its provider call.  A node left ``creating`` by
    a crash is looked for by its name, whether it was asked for or not.
    """
    context.check()
    started = {}
    if not node_ids:
        return started
    states = ('planned',) if planned_only else ('planned', 'creating')
    with context.database.session(write=True) as session:
        for at in range(0, len(node_ids), START_CHUNK):
            rows = session.connection().execute(
                _start_statement(states),
                {
                    'node_ids': list(node_ids[at : at + START_CHUNK]),
                    'now': utcnow(),
                    'taker': context.job_id,
                },
            )
            started.update((row.id, row) for row in rows)
    return started


@statements.once_per_shape
def _start_statement(states):
    return (
        update(NODES)
        .where(
            NODES.c.id.in_(bindparam('node_ids', expanding=True)),
            NODES.c.state.in_(states),
        )
        .values(
            state='creating',
            claimed_by=bindparam('taker'),
            updated_at=bindparam('now'),
        )
        .returning(*NODES.c)
    )


def claim(context, cloud):
    """A node for this job to create on ``cloud`` now, recorded
    ``creating`` and claimed by the job, or ``None`` when none is left: a
    planned node of ``cloud`` from another share of the same stack job
    (one whose child job has not started yet), from the end of the plan.

    A child job that has made its own share takes such a node once it
    holds the cloud's slot for it, never before: the nodes no slot is
    free for yet stay planned, so that whichever worker has a slot free
    first makes them.  The claim is one statement conditional on
    ``planned``: two jobs never claim one node.
    """
    params = _of_other_shares(context, cloud)
    with context.database.session(write=True) as session:
        for _ in range(CLAIM_ATTEMPTS):
            node = (
                session.connection()
                .execute(
                    _take_statement(),
                    dict(params, taker=context.job_id, now=utcnow()),
                )
                .first()
            )
            if node is not None:
                return node
            if (
                session.connection()
                .execute(_planned_statement(), params)
                .first()
                is None
            ):
                _none_planned(params)
                return None
        return None


def planned_left(context, cloud):
    """Whether a node of ``cloud`` is still planned in a share of the
    stack job that this child job is part of (see :func:`claim`).

    Once a job of this process has found none, the others do not ask
    again: a stack job's nodes are planned when it starts, never after, so
    the lanes of its children here (hundreds, for a big stack) each end
    without a statement of their own."""
    params = _of_other_shares(context, cloud)
    with _NONE_PLANNED_LOCK:
        if _key(params) in _NONE_PLANNED:
            return False
    with context.database.session() as session:
        left = (
            session.connection().execute(_planned_statement(), params).first()
            is not None
        )
    if not left:
        _none_planned(params)
    return left


#: The (stack, stack job, cloud) whose nodes this process found none of
#: left planned (see :func:`planned_left`).
_NONE_PLANNED = cachetools.TTLCache(maxsize=4096, ttl=3600)
_NONE_PLANNED_LOCK = threading.Lock()


def _key(params):
    return (params['node_stack'], params['parent_job'], params['node_cloud'])


def _none_planned(params):
    with _NONE_PLANNED_LOCK:
        _NONE_PLANNED[_key(params)] = True


#: Times a job tries to take a node from another share while some are
#: still planned (a node it chose may be taken by another job first).
CLAIM_ATTEMPTS = 5


def _of_other_shares(context, cloud):
    """The parameters of :func:`_planned_of_others` for a child job."""
    return {
        'parent_job': context.params.get('parent'),
        'node_stack': context.target_id,
        'node_cloud': cloud,
    }


def _planned_of_others():
    return (
        NODES.c.stack_id == bindparam('node_stack'),
        NODES.c.job_id == bindparam('parent_job'),
        NODES.c.cloud == bindparam('node_cloud'),
        NODES.c.state == 'planned',
    )


@statements.once_per_shape
def _planned_statement():
    return select(NODES.c.id).where(*_planned_of_others()).limit(1)


@statements.once_per_shape
def _take_statement():
    # On PostgreSQL, a node another job is claiming at this moment is
    # skipped (SKIP LOCKED) rather than waited for; SQLite writes one at
    # a time anyway.
    chosen = (
        select(NODES.c.id)
        .where(*_planned_of_others())
        .order_by(NODES.c.seq.desc())
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    return (
        update(NODES)
        .where(NODES.c.id == chosen, NODES.c.state == 'planned')
        .values(
            state='creating',
            claimed_by=bindparam('taker'),
            updated_at=bindparam('now'),
        )
        .returning(*NODES.c)
    )


def create(context, node_id, known, started=None, taken=None):
    """Create one planned node; ``known`` is :func:`find_by_name`'s answer,
    ``started`` the node as :func:`start_all` or :func:`claim` recorded it,
    if one did.
    Its cloud's job slot is held for each provider call only (see
    :func:`calls_within_slots`): run it through
    ``context.slots.map(..., holds=True)``, or with the slot ``taken``.

    A failure is recorded on the node (state ``failed``), not raised.
    """
    node = started if started is not None else _start(context, node_id, known)
    if node.state != 'creating':
        return node
    cloud = farm_of(context).get(node.cloud)
    spec = {
        'name': node.name,
        'size': node.size,
        'image': node.image,
        'location': node.location,
        'key_name': node.key_name,
    }
    known = inventory_of(context).catalogue_items(cloud, spec)
    try:
        with calls_within_slots(context, node.cloud, taken=taken):
            created, how = retries.call(
                context.app.config,
                'creating node %s' % node.name,
                _create_or_find,
                context,
                cloud,
                node,
                spec,
                known,
                when=_may_ask_again,
                attempts_for=_create_attempts,
            )
    except (errors.MiddlewareError, NotMade) as failure:
        exc = failure.error if isinstance(failure, NotMade) else failure
        return save(
            context,
            node.id,
            state='failed',
            error=exc.to_dict(),
            event=(
                'node.failed',
                'node %s could not be created: %s' % (node.name, exc.message),
            ),
            step=('create %s' % node.name, 'failed'),
        )
    return _created(context, node, created, how)


def _start(context, node_id, known):
    """The node as it is, or as found after a restart, unless it is to be
    asked for now: then recorded ``creating``, first."""
    if not known:
        # Nothing at the providers to look at: one statement, which moves
        # a node still to make to ``creating`` and reads it back.
        context.check()
        with context.database.session(write=True) as session:
            node = _update(
                session,
                node_id,
                {'state': 'creating'},
                ('planned', 'creating'),
            ).first()
        return node if node is not None else load(context, node_id)
    node = load(context, node_id)
    if node.state not in ('planned', 'creating'):
        return node
    if node.provider_id is None and (node.cloud, node.name) in known:
        return _created(
            context,
            node,
            known[(node.cloud, node.name)],
            'found after a restart',
        )
    context.check()
    return save(context, node.id, state='creating')


class NotMade(Exception):
    """A create failed for a passing reason and the provider, asked by the
    node's unique name, has no such node: it may be asked again."""

    def __init__(self, error):
        super().__init__(error.message)
        self.error = error


#: Times a create is asked in all when the provider keeps failing (5xx)
#: and keeps having no node of its name: a cloud that cannot create fails
#: the node soon, not after ``JOB_RETRY_SECONDS``.
CREATE_ATTEMPTS = 3


def _create_attempts(exc):
    return CREATE_ATTEMPTS if isinstance(exc, NotMade) else None


def _may_ask_again(exc):
    """Whether a create may be asked again: the provider throttled or the
    call never reached it (nothing happened), or it has no node of that
    name (:class:`NotMade`)."""
    return (
        isinstance(exc, NotMade)
        or retries.is_throttled(exc)
        or getattr(exc, 'code', None) == 'cloud_busy'
    )


def _create_or_find(context, cloud, node, spec, known):
    """``(node, how)``: the created node, or the one the provider made all
    the same (found by its unique name) after a failure that may have lost
    the answer.  A create is never repeated blindly: :class:`NotMade` only
    when the provider was asked and has no node of that name."""
    try:
        return compute.create_node(cloud, spec, known), 'created'
    except errors.MiddlewareError as exc:
        if _may_ask_again(exc) or not retries.is_transient(exc):
            raise
        found, asked = _look_for(context, cloud, node)
        if found is not None:
            return found, 'found by name after its answer was lost'
        if not asked:
            raise  # the provider could not be asked: never create twice
        raise NotMade(exc)


def _look_for(context, cloud, node):
    """``(item, asked)``: the provider's node named ``node.name`` (or
    ``None``), and whether the provider could be asked at all.  Names are
    unique per stack node, so the name says which node it is."""
    try:
        listed = retries.call(
            context.app.config,
            'looking for node %s on cloud %r' % (node.name, cloud.name),
            cloud.list_nodes,
        )
    except errors.MiddlewareError as lookup:
        LOG.warning(
            'cannot look for node %s on cloud %r: %s',
            node.name,
            cloud.name,
            lookup,
        )
        return None, False
    found = next((item for item in listed if item.name == node.name), None)
    return found, True


def destroy(context, node_id, known, cancellable=False):
    """Destroy one node wherever its creation got to (holding its cloud's
    job slot for the provider's part, as :func:`create` does).

    A node already gone at the provider is not an error; any other failure
    is recorded on the node and raised.
    """
    node = load(context, node_id)
    if node.state == 'destroyed':
        return node
    step = 'destroy %s' % node.name
    provider_id = node.provider_id
    if provider_id is None and (node.cloud, node.name) in known:
        provider_id = known[(node.cloud, node.name)].id
    if provider_id is None:
        # Never created: there is nothing at the provider to destroy.
        return save(
            context, node.id, state='destroyed', step=(step, 'succeeded')
        )
    cloud = farm_of(context).get(node.cloud)
    try:
        with calls_within_slots(context, node.cloud, cancellable):
            retries.call(
                context.app.config,
                'destroying node %s' % node.name,
                cloud.destroy_node,
                provider_id,
            )
        how = 'destroyed'
    except errors.NotFound:
        how = 'already gone at the provider'
    except errors.MiddlewareError as exc:
        save(
            context,
            node.id,
            provider_id=provider_id,
            error=exc.to_dict(),
            event=(
                'node.destroy_failed',
                'node %s could not be destroyed:'
                ' %s' % (node.name, exc.message),
            ),
            step=(step, 'failed'),
        )
        raise
    return save(
        context,
        node.id,
        provider_id=provider_id,
        state='destroyed',
        event=('node.destroyed', 'node %s %s' % (node.name, how)),
        step=(step, 'succeeded'),
    )


def refresh(context, nodes, progress=True, recording=None):
    """Read the nodes' states from their clouds (one listing per cloud) and
    record changes; returns ``{node_id: state}``.  ``progress``: whether
    the job's progress counts its steps afterwards.  ``recording``: a
    context manager whose block holds the writes, and which yields whether
    to make them (if not, nothing is recorded and ``{}`` returned).

    A cloud that does not answer this time is skipped: the caller's
    deadline bounds the wait.
    """
    by_cloud = _made_by_cloud(nodes)
    farm = farm_of(context)
    calls = {}
    for name in by_cloud:
        try:
            calls[name] = farm.get(name).submit(GenericDriver.list_nodes)
        except errors.MiddlewareError as exc:
            LOG.warning('cannot list the nodes of cloud %r: %s', name, exc)
    listings = {}
    for name, call in calls.items():
        try:
            listings[name] = {item.id: item for item in call.result()}
        except errors.MiddlewareError as exc:
            LOG.warning('cannot list the nodes of cloud %r: %s', name, exc)
    for name, listed in listings.items():
        _look_up_missing(context, name, listed, by_cloud[name])
    states = {}
    # What the listings show is recorded in one transaction.
    with (recording or _always)() as wanted:
        if not wanted:
            return {}
        with context.database.session(write=True) as session:
            running = []
            for name, listed in listings.items():
                for node in by_cloud[name]:
                    seen = listed.get(node.provider_id)
                    if seen is UNKNOWN:
                        states[node.id] = node.state
                        continue
                    states[node.id] = _observe(
                        context, node, seen, session, running
                    )
            _record_running(context, running, session)
            if progress:
                context.progress(session=session)
    return states


def _always():
    return contextlib.nullcontext(True)


#: A node a listing did not show and whose lookup failed: its state is
#: not known this time.
UNKNOWN = object()


def _look_up_missing(context, name, listed, nodes):
    """Look up by id each of ``nodes`` that cloud ``name``'s listing
    ``listed`` (``{provider id: node}``) did not show, before taking it for
    gone: a provider's listings may lag behind its creates (EC2's are
    eventually consistent).  Adds what it finds, or :data:`UNKNOWN` when
    the lookup fails; a node the lookup does not find stays missing."""
    missing = [n for n in nodes if n.provider_id not in listed]
    if not missing:
        return
    cloud = farm_of(context).get(name)
    for node in missing:
        try:
            listed[node.provider_id] = cloud.get_node(node.provider_id)
        except errors.NotFound:
            continue
        except errors.MiddlewareError as exc:
            LOG.warning(
                'cannot look up node %s on cloud %r: %s', node.name, name, exc
            )
            listed[node.provider_id] = UNKNOWN
            continue
        LOG.warning(
            'cloud %r did not list node %s (%s), which a lookup found',
            name,
            node.name,
            node.provider_id,
        )


def _made_by_cloud(nodes):
    """``{cloud: [node]}`` of the nodes the providers gave an id."""
    by_cloud = {}
    for node in nodes:
        if node.provider_id is not None:
            by_cloud.setdefault(node.cloud, []).append(node)
    return by_cloud


def still_listed(context, nodes):
    """The destroyed ``nodes`` their clouds still list (not terminated):
    ``{node_id: (node, state)}``, one listing per cloud.  A cloud that does
    not answer is not taken for proof: its nodes count as still listed."""
    by_cloud = _made_by_cloud(nodes)
    farm = farm_of(context)
    left = {}
    for name, mine in by_cloud.items():
        try:
            listed = {item.id: item for item in farm.get(name).list_nodes()}
        except errors.MiddlewareError as exc:
            LOG.warning('cannot list the nodes of cloud %r: %s', name, exc)
            left.update((n.id, (n, 'unknown')) for n in mine)
            continue
        for node in mine:
            item = listed.get(node.provider_id)
            if item is not None and item.state != 'terminated':
                left[node.id] = (node, item.state)
    return left


def confirm_gone(context, nodes, seconds):
    """Wait until the clouds no longer list the destroyed ``nodes``; those
    still listed after ``seconds`` are recorded ``delete_failed`` with the
    reason, and returned."""
    deadline = time.monotonic() + seconds
    delay = 0.2
    while True:
        left = still_listed(context, nodes)
        if not left or time.monotonic() >= deadline:
            break
        context.check()
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 1.5, 5.0)
    failed = []
    for node, state in left.values():
        message = (
            'the provider accepted the destroy of node %s but still lists '
            'it (state %s) after %g s' % (node.name, state, seconds)
        )
        failed.append(
            save(
                context,
                node.id,
                state='delete_failed',
                error=errors.ProviderError(
                    message, code='delete_not_done', cloud=node.cloud
                ).to_dict(),
                event=('node.delete_failed', message),
                step=('destroy %s' % node.name, 'failed'),
            )
        )
    return failed


def _failed_at_provider(context, node, message, code, session=None):
    """Record ``node`` failed for what its cloud shows; ``'failed'``."""
    error = errors.ProviderError(message, code=code, cloud=node.cloud)
    save(
        context,
        node.id,
        session=session,
        state='failed',
        error=error.to_dict(),
        event=('node.failed', message),
        step=('create %s' % node.name, 'failed'),
    )
    return 'failed'


def _observe(context, node, seen, session, running):
    """Record what a listing shows of ``node`` (``seen``: ``None`` if not
    listed); returns its state.  A node now running is added to
    ``running`` as ``(node, seen)``, for :func:`_record_running`."""
    if seen is None:
        return _failed_at_provider(
            context,
            node,
            'node %s (%s) is no longer listed by cloud %r'
            % (node.name, node.provider_id, node.cloud),
            'node_vanished',
            session,
        )
    state = seen.state.value
    if state == node.state and node.public_ips == seen.public_ips:
        return state
    if state == 'running':
        running.append((node, seen))
    elif state in NODE_FAILED:
        return _failed_at_provider(
            context,
            node,
            'node %s is %s at cloud %r' % (node.name, state, node.cloud),
            'node_failed',
            session,
        )
    else:
        save(
            context,
            node.id,
            session=session,
            state=state,
            public_ips=seen.public_ips,
            private_ips=seen.private_ips,
        )
    return state


def _record_running(context, running, session):
    """Record the nodes of ``running`` (``(node, seen)``, as a listing
    showed them) running, with their events and steps: three statements
    for all of them, as a big stack's last nodes boot together."""
    if not running:
        return
    now = utcnow()
    session.connection().execute(
        statements.update_by(NODES, 'id', RUNNING_COLUMNS),
        [
            statements.values(
                {
                    'state': 'running',
                    'public_ips': seen.public_ips,
                    'private_ips': seen.private_ips,
                    'updated_at': now,
                },
                where_id=node.id,
            )
            for node, seen in running
        ],
    )
    for stack_id in sorted({node.stack_id for node, _ in running}):
        add_events(
            session,
            stack_id,
            [
                (
                    'node.running',
                    'node %s is running' % node.name,
                    node,
                    {'error': node.error} if node.error else None,
                )
                for node, _ in running
                if node.stack_id == stack_id
            ],
        )
    context.record_steps(
        [
            (
                'create %s' % node.name,
                'succeeded',
                dict(_result(node), state='running'),
                None,
            )
            for node, _ in running
        ],
        session=session,
        progress=False,
    )


#: The columns :func:`_record_running` sets.
RUNNING_COLUMNS = ('private_ips', 'public_ips', 'state', 'updated_at')
