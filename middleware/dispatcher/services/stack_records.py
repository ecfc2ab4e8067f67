"""Stacks, their nodes and their history as rows, and as the API shows them.

Node states of a stack: ``planned`` (recorded, not yet asked for),
``creating`` (the provider is being asked), then the provider's own state
(``pending``, ``running``, ...), ``failed`` (with its ``error``),
``removing`` (chosen to go by a scale-down), ``destroyed``.
"""

import collections
import dataclasses
import enum
import uuid
from typing import Optional

from sqlalchemy import func, insert, select

from dispatcher import errors
from dispatcher.services.stack_templates import choice
from dispatcher.storage import statements
from dispatcher.storage.models import Stack, StackEvent, StackNode
from dispatcher.storage.types import isoformat, new_id, utcnow

#: Stack states.  ``rolled_back``: creation failed and what it made is gone.
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

#: Node states in which nothing exists at the provider any more.
GONE = ('destroyed',)

#: Node states that end a wait for ``running``.
NODE_FAILED = ('failed', 'error', 'terminated')


def node_name(stack_name, group_name, index):
    """The unique provider name of a node: ``<stack>-<group>-<n>-<id>``."""
    return '%s-%s-%d-%s' % (
        stack_name,
        group_name,
        index,
        uuid.uuid4().hex[:6],
    )


def plan_nodes(session, stack, group, start, count, job_id):
    """Record ``count`` nodes of ``group`` from index ``start`` (1-based)
    before any provider is asked: the intent that survives a crash.
    Returns their rows (dicts).  One statement for all of them: a big
    stack's thousand nodes are written in a few round trips, not built
    as a thousand objects."""
    clouds = group['clouds']
    now = utcnow()
    rows = []
    for index in range(start, start + count):
        cloud = clouds[(index - 1) % len(clouds)]
        rows.append(
            {
                'id': new_id(),
                'stack_id': stack.id,
                'group_name': group['name'],
                'index': index,
                'name': node_name(stack.name, group['name'], index),
                'cloud': cloud,
                'size': choice(group, cloud, 'size'),
                'image': choice(group, cloud, 'image'),
                'location': choice(group, cloud, 'location'),
                'key_name': choice(group, cloud, 'key_name'),
                'state': 'planned',
                'job_id': job_id,
                'public_ips': [],
                'private_ips': [],
                'created_at': now,
                'updated_at': now,
            }
        )
    if rows:
        session.execute(insert(StackNode.__table__), rows)
    return rows


def find_stack(session, stack_id, lock=False):
    """The stack ``stack_id``; 404 if unknown.  ``lock``: for an update
    (PostgreSQL locks the row until the transaction ends)."""
    statement = select(Stack).where(Stack.id == stack_id)
    if lock:
        statement = statement.with_for_update()
    stack = session.scalars(statement).first()
    if stack is None:
        raise errors.NotFound(
            'stack %r not found' % stack_id, code='stack_not_found'
        )
    return stack


def stack_nodes(session, stack_id, include_gone=False, criteria=()):
    """The nodes of a stack in group and index order; ``criteria``: more
    conditions on :class:`StackNode`, so that a job looking at a few of a
    big stack's nodes loads only those."""
    statement = select(StackNode).where(StackNode.stack_id == stack_id)
    if criteria:
        statement = statement.where(*criteria)
    if not include_gone:
        statement = statement.where(StackNode.state.notin_(GONE))
    return session.scalars(statement.order_by(StackNode.seq)).all()


#: The table of the stacks' histories: an entry is written with one plain
#: statement, as it is made (each node made writes two).
EVENTS = StackEvent.__table__


def add_event(session, stack_id, kind, message, node=None, details=None):
    """Append an entry to the stack's history, in ``session``'s
    transaction."""
    add_events(session, stack_id, [(kind, message, node, details)])


def add_events(session, stack_id, entries):
    """Append ``(kind, message, node, details)`` entries to the stack's
    history with one statement, in ``session``'s transaction."""
    if session.new:
        # A stack added in this transaction is written before its entry.
        session.flush()
    now = utcnow()
    session.connection().execute(
        _event_statement(),
        [
            statements.values(
                {
                    'stack_id': stack_id,
                    'kind': kind,
                    'message': message[:1024],
                    'node_name': node.name if node is not None else None,
                    'cloud': node.cloud if node is not None else None,
                    'details': details,
                    'created_at': now,
                }
            )
            for kind, message, node, details in entries
        ],
    )


@statements.once_per_shape
def _event_statement():
    return insert(EVENTS).values(
        statements.binds(
            (
                'stack_id',
                'kind',
                'message',
                'node_name',
                'cloud',
                'details',
                'created_at',
            )
        )
    )


def set_stack_status(
    session, stack, status, error=None, event=None, message=None
):
    """Move ``stack`` to ``status`` and log it as ``stack.<event>``."""
    stack.status = status
    stack.error = error
    stack.updated_at = utcnow()
    if status == 'deleted':
        stack.deleted_at = stack.updated_at
    add_event(
        session,
        stack.id,
        'stack.%s' % (event or status),
        message or 'stack %s' % status.replace('_', ' '),
        details={'error': error} if error else None,
    )


#: Where a stack is.
StackState = enum.StrEnum(
    'StackState', {state.upper(): state for state in STACK_STATES}
)


@dataclasses.dataclass
class StackNodeView:
    """A node a stack made, or is making."""

    id: str
    name: str
    group: str
    index: int
    cloud: str
    provider_id: Optional[str]
    state: str
    public_ips: list
    private_ips: list
    size: Optional[str]
    image: Optional[str]
    location: Optional[str]
    key_name: Optional[str]
    error: Optional[dict]
    created_at: str
    updated_at: str


@dataclasses.dataclass
class StackView:
    """A stack as the API shows it."""

    id: str
    name: str
    status: StackState
    on_failure: str
    timeout: int
    groups: list
    job_id: Optional[str]
    error: Optional[dict]
    requested_by: str
    created_at: str
    updated_at: str
    deleted_at: Optional[str]
    #: Nodes by state (lists and the detailed view).
    node_counts: Optional[dict] = None
    #: Every node, in the detailed view only.
    nodes: Optional[list] = None


@dataclasses.dataclass
class StackEventView:
    """Something that happened to a stack."""

    id: str
    kind: str
    message: str
    node: Optional[str]
    cloud: Optional[str]
    details: Optional[dict]
    created_at: str


def describe_node(node):
    """A :class:`StackNodeView`."""
    return StackNodeView(
        id=node.id,
        name=node.name,
        group=node.group_name,
        index=node.index,
        cloud=node.cloud,
        provider_id=node.provider_id,
        state=node.state,
        public_ips=list(node.public_ips or []),
        private_ips=list(node.private_ips or []),
        size=node.size,
        image=node.image,
        location=node.location,
        key_name=node.key_name,
        error=node.error,
        created_at=isoformat(node.created_at),
        updated_at=isoformat(node.updated_at),
    )


def describe_stack(stack, nodes=None, counts=None):
    """A :class:`StackView`; with ``nodes`` in the detailed view."""
    if nodes is not None:
        counts = collections.Counter(node.state for node in nodes)
    return StackView(
        id=stack.id,
        name=stack.name,
        status=StackState(stack.status),
        on_failure=stack.on_failure,
        timeout=stack.timeout,
        groups=stack.template.get('groups', []),
        job_id=stack.job_id,
        error=stack.error,
        requested_by=stack.requested_by,
        created_at=isoformat(stack.created_at),
        updated_at=isoformat(stack.updated_at),
        deleted_at=isoformat(stack.deleted_at),
        node_counts=None if counts is None else dict(sorted(counts.items())),
        nodes=None if nodes is None else [describe_node(n) for n in nodes],
    )


def describe_event(event):
    """A :class:`StackEventView`."""
    return StackEventView(
        id=str(event.seq),
        kind=event.kind,
        message=event.message,
        node=event.node_name,
        cloud=event.cloud,
        details=event.details,
        created_at=isoformat(event.created_at),
    )


def node_counts(session, stack_ids):
    """``{stack_id: {state: count}}`` of the given stacks' nodes."""
    counts = collections.defaultdict(dict)
    if stack_ids:
        for stack_id, state, number in session.execute(
            select(StackNode.stack_id, StackNode.state, func.count())
            .where(StackNode.stack_id.in_(stack_ids))
            .group_by(StackNode.stack_id, StackNode.state)
        ):
            counts[stack_id][state] = number
    return counts
