"""Spreading a stack's creates over the workers of the cluster.

With an executor whose jobs run on many workers (Celery), a stack job
with more than ``JOB_FANOUT_NODES`` nodes to create hands them to child
jobs (kind ``stack.nodes``) of at most that many nodes each, taking the
clouds in turn.
The queue gives them to whichever workers are free, so that each worker's
per-cloud limit of calls (``JOB_CONCURRENCY_PER_CLOUD``) adds up and more
workers make a big stack sooner, within the clouds' shared call budgets.

The parent waits for its children, then goes on as usual (waiting for the
nodes to run).  While it waits, a thread of its own records which of the
nodes made so far run (its ``meanwhile`` work, a listing of each cloud), so
that the look at the children is never held up by a slow listing and few
nodes are left to record once the children end.  Once they have, a round
still listing is not waited for (it records nothing any more): the wait
that follows lists the clouds at once.

Each node is in exactly one child's share, written down before any
child runs.  A child claims its share when it starts; once it has made
it, it takes nodes still planned in the shares of children not started
yet, each only once it holds a slot for it (see :func:`create_share`).
A claim is conditional on the node being planned, so no node is created
by two workers; a child is a job like any other (leased, taken over when
its worker dies, and then resuming the nodes it claimed), and a parent
taken over by another worker finds its children instead of making more.
"""

import collections
import contextlib
import itertools
import logging
import threading
import time

from sqlalchemy import and_, or_, select, update

from dispatcher.jobs.limits import Taken
from dispatcher.jobs.runner import JobCancelled
from dispatcher.services import jobs as job_service
from dispatcher.services import stack_nodes
from dispatcher.services.stack_records import stack_nodes as live_nodes
from dispatcher.storage.models import FINAL_JOB_STATES, Job, StackNode
from dispatcher.storage.types import utcnow

LOG = logging.getLogger(__name__)

#: The kind of the child jobs.
CHILD_KIND = 'stack.nodes'

#: Seconds between two looks at the children.
POLL_SECONDS = 0.25

#: Seconds at least between the starts of two rounds of a parent's
#: ``meanwhile`` work (a listing of the clouds, to record the nodes that
#: already run); a round that takes longer is followed by the next at once.
MEANWHILE_SECONDS = 1.0


def chunks(nodes, size):
    """``nodes`` in lists of at most ``size``, each taking the clouds in
    turn: whichever worker runs a child has calls to make on every cloud,
    so that its per-cloud limits are all in use, rather than two children
    of one cloud queueing on that cloud's calls while another's stay
    idle."""
    by_cloud = {}
    for node in nodes:
        by_cloud.setdefault(node.cloud, []).append(node)
    mixed = [
        node
        for turn in itertools.zip_longest(
            *(by_cloud[cloud] for cloud in sorted(by_cloud))
        )
        for node in turn
        if node is not None
    ]
    return [mixed[i : i + size] for i in range(0, len(mixed), size)]


def spread(context, nodes, meanwhile=None):
    """Create ``nodes`` (planned, or interrupted while creating) on child
    jobs when the executor spreads work and they are many; returns once
    every child has ended, calling ``meanwhile(recording)`` on a thread of
    its own meanwhile, a round at most every :data:`MEANWHILE_SECONDS`
    (see :func:`_wait`).
    ``False`` when the caller must create them itself (one worker, or few
    nodes), ``True`` when children did."""
    size = int(context.config.get('JOB_FANOUT_NODES') or 0)
    children = _children(context)
    if not children:
        if (
            not context.executor.spreads_jobs
            or size <= 0
            or len(nodes) <= size
        ):
            return False
        children = _make_children(context, chunks(nodes, size))
    _wait(context, children, meanwhile)
    return True


def _children(context):
    """Ids of the child jobs this job made (after a takeover: before)."""
    with context.database.session() as session:
        rows = session.scalars(
            select(Job).where(
                Job.kind == CHILD_KIND, Job.target_id == context.target_id
            )
        ).all()
        return [
            job.id
            for job in rows
            if job.params.get('parent') == context.job_id
        ]


def _make_children(context, parts):
    with context.database.session(write=True) as session:
        parent = session.scalars(
            select(Job).where(Job.id == context.job_id)
        ).one()
        children = [
            job_service.new_job(
                session,
                CHILD_KIND,
                parent.requested_by,
                params={
                    'parent': context.job_id,
                    'index': index,
                    'nodes': [node.id for node in part],
                },
                target_type='stack',
                target_id=context.target_id,
                total=len(part),
            ).id
            for index, part in enumerate(parts)
        ]
    for child in children:
        context.executor.submit(child)
    return children


def _wait(context, children, meanwhile=None):
    """Until every child has ended; the parent's progress follows theirs,
    and ``meanwhile(recording)`` runs in rounds on a thread of its own.
    A round writes what it saw only inside ``with recording() as
    wanted:``, and only if ``wanted``; when this returns or raises no
    round writes any more, and no new one starts.  A round whose listing
    is still under way is not waited for: the wait that follows the
    children makes its own listing at once, rather than a listing's time
    later.  A cancellation of the parent is passed on to the children,
    which stop at their next node; then :class:`JobCancelled` is
    raised."""
    rounds = _Rounds()
    if meanwhile is not None:
        threading.Thread(
            target=rounds.run,
            args=(meanwhile,),
            name='job-%s-meanwhile' % context.job_id[:8],
            daemon=True,
        ).start()
    try:
        _poll(context, children, rounds.stop)
    finally:
        rounds.close()


class _Rounds(object):
    """The rounds of a parent's ``meanwhile`` work, and their end."""

    def __init__(self):
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._closed = False

    def run(self, meanwhile):
        """``meanwhile(self.recording)`` until :attr:`stop` is set, rounds
        starting at most every :data:`MEANWHILE_SECONDS`; a round that
        fails is logged, and the next one tries again (it is only a head
        start on the wait that follows)."""
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                meanwhile(self.recording)
            except Exception:
                LOG.warning(
                    'recording the nodes that run failed', exc_info=True
                )
            self.stop.wait(
                max(0.0, started + MEANWHILE_SECONDS - time.monotonic())
            )

    @contextlib.contextmanager
    def recording(self):
        """Whether a round may write what it saw (yielded), the writes
        made inside the block: once :meth:`close` has returned, never."""
        with self._lock:
            yield not self._closed

    def close(self):
        """No new round, and no write once this returns: it waits for a
        round's write under way, never for its listing."""
        self.stop.set()
        with self._lock:
            self._closed = True


def _close_idle(context, queued):
    """Close the children of ``queued`` (never started) once no node of
    the stack job is left planned: the children running took their
    shares, and each would only start to find nothing to do.  A worker
    taking one at the same time either claims it first (it runs, and
    ends at once) or finds it closed."""
    if not queued:
        return
    with context.database.session(write=True) as session:
        planned = session.scalar(
            select(StackNode.id)
            .where(
                StackNode.stack_id == context.target_id,
                StackNode.job_id == context.job_id,
                StackNode.state == 'planned',
            )
            .limit(1)
        )
        if planned is not None:
            return
        now = utcnow()
        session.execute(
            update(Job)
            .where(Job.id.in_(queued), Job.status == 'queued')
            .values(
                status='succeeded',
                result={'nodes': 0},
                progress_done=0,
                progress_total=0,
                started_at=now,
                finished_at=now,
                updated_at=now,
            )
        )


def _poll(context, children, stop):
    cancelled = False
    while True:
        with context.database.session() as session:
            rows = session.scalars(
                select(Job).where(Job.id.in_(children))
            ).all()
        open_ = [job for job in rows if job.status not in FINAL_JOB_STATES]
        context.progress(done=sum(job.progress_done for job in rows))
        if not open_:
            break
        context.check(cancellable=False)
        _close_idle(
            context, [job.id for job in open_ if job.status == 'queued']
        )
        if not cancelled and context.cancel_requested():
            cancelled = True
            # Nothing more to watch: the nodes are rolled back.
            stop.set()
            with context.database.session(write=True) as session:
                session.execute(
                    update(Job)
                    .where(Job.id.in_([job.id for job in open_]))
                    .values(cancel_requested=True, updated_at=utcnow())
                )
        time.sleep(POLL_SECONDS)
    if cancelled or context.cancel_requested():
        raise JobCancelled(context.job_id)


def create_share(context):
    """Job ``stack.nodes``: a stack job's share of its creates (the node
    ids in ``params['nodes']``), on whichever worker takes it.

    First the nodes this job had under way when a worker running it
    stopped (``creating``, claimed by it) are looked for at their
    providers and made if missing.  Then it claims what is still planned
    of its share (:func:`.stack_nodes.start_all`; another child may have
    taken some) and makes those.  A lane of a cloud with none of its share
    left waits for one of the cloud's slots and only then takes a node
    still planned in the share of a child not started yet
    (:func:`.stack_nodes.claim`), until none is left: no worker idles at
    the end of a big stack while the queue still holds children with work
    for its slots.  Returns how many nodes it made (its progress counts
    those: they may be more or fewer than its share)."""
    wanted = list(context.params.get('nodes') or ())
    with context.database.session() as session:
        share = live_nodes(
            session, context.target_id, criteria=(StackNode.id.in_(wanted),)
        )
        resumed = live_nodes(
            session,
            context.target_id,
            criteria=(
                StackNode.state == 'creating',
                or_(
                    StackNode.claimed_by == context.job_id,
                    # Recorded before nodes were claimed by name.
                    and_(
                        StackNode.claimed_by.is_(None),
                        StackNode.id.in_(wanted),
                    ),
                ),
            ),
        )
    failures = []
    if resumed:
        known = stack_nodes.find_by_name(context, resumed)
        failures.extend(
            context.slots.map(
                resumed,
                lambda n: n.cloud,
                lambda n: stack_nodes.create(context, n.id, known),
                holds=True,
            ).values()
        )
    own = collections.defaultdict(collections.deque)
    if not failures:
        started = stack_nodes.start_all(
            context,
            [node.id for node in share if node.state == 'planned'],
            planned_only=True,
        )
        for node in share:
            if node.id in started:
                own[node.cloud].append(started[node.id])
    claimed, exhausted = [], set()

    def turn(cloud):
        try:
            node = own[cloud].popleft()
        except IndexError:
            node = None
        if node is not None:
            claimed.append(node.id)
            stack_nodes.create(context, node.id, {}, started=node)
            return True
        # A slot is taken only while there is something left to take.
        if cloud in exhausted or not stack_nodes.planned_left(context, cloud):
            exhausted.add(cloud)
            return False
        with Taken(stack_nodes.slot_gate(context, cloud, spare=True)) as taken:
            node = stack_nodes.claim(context, cloud)
            if node is None:
                exhausted.add(cloud)
                return False
            claimed.append(node.id)
            stack_nodes.create(context, node.id, {}, started=node, taken=taken)
            return True

    if not failures:
        failures.extend(
            context.slots.lanes(
                collections.Counter(node.cloud for node in share), turn
            )
        )
    stack_nodes.raise_first(failures)
    made = len(resumed) + len(claimed)
    context.progress(total=made)
    return {'nodes': made}
