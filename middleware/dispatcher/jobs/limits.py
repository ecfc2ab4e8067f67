"""Per-cloud limits on the provider calls that jobs make.

Every job of this process shares one limit per cloud
(``JOB_CONCURRENCY_PER_CLOUD``), below the cloud's own pool size, so that
jobs never take all of a cloud's connections from interactive requests nor
trip a provider's rate limit.  A job works on one cloud with at most that
many threads, and waiting threads are served strictly in arrival order, so
one big stack takes its turn with the others instead of starving them.
"""

import collections
import contextlib
import heapq
import itertools
import threading

#: Items worked on at once per slot by :meth:`CloudSlots.map` when the
#: work holds the slot only around its provider calls.
LANES_PER_SLOT = 2


class FairSemaphore(object):
    """A counting semaphore that serves waiters in turns, never by chance.

    ``threading.Semaphore`` lets a thread that just released take the slot
    again before the waiter it woke runs, so a job looping over many calls
    would keep a cloud to itself; here a released slot is handed to a
    waiter chosen in turn.  Waiters come in families (``family``: a job,
    or all the child jobs of one stack job): the families take turns, in
    the order they came, and within a family the waiter of the lowest
    ``rank`` (then the first come) goes first.  So a big stack takes its
    turn with the other jobs instead of starving them, and its child jobs
    on one worker end one after the other rather than all together at the
    very end: each one that ends frees the worker to take the next.
    Without a family, each waiter is a family of its own: strict arrival
    order.
    """

    def __init__(self, value):
        self._value = value
        self._lock = threading.Lock()
        #: family -> heap of ``(rank, arrival, waiter)``, in turn order.
        self._families = collections.OrderedDict()
        self._arrivals = itertools.count()

    def acquire(self, family=None, rank=0):
        with self._lock:
            if self._value > 0 and not self._families:
                self._value -= 1
                return
            waiter = threading.Lock()
            waiter.acquire()
            heap = self._families.setdefault(
                object() if family is None else family, []
            )
            heapq.heappush(heap, (rank, next(self._arrivals), waiter))
        waiter.acquire()  # released by release(): the slot is ours

    def release(self):
        with self._lock:
            if not self._families:
                self._value += 1
                return
            family, heap = self._families.popitem(last=False)
            _, _, waiter = heapq.heappop(heap)
            if heap:
                # Its next waiter comes after the other families'.
                self._families[family] = heap
            waiter.release()


class Gate(object):
    """One of a cloud's slots, taken for each provider call a job makes
    (see :func:`dispatcher.lib.cloud.gated`) as a waiter of ``family``
    with ``rank`` (see :class:`FairSemaphore`), then ``check()`` (the wait
    for the slot may have outlasted the job's turn: it raises to stop)."""

    def __init__(self, semaphore, check=None, family=None, rank=0):
        self._semaphore = semaphore
        self._check = check
        self._family = family
        self._rank = rank

    def acquire(self):
        self._semaphore.acquire(self._family, self._rank)
        if self._check is not None:
            try:
                self._check()
            except BaseException:
                self._semaphore.release()
                raise

    def release(self):
        self._semaphore.release()


class Taken(object):
    """A :class:`Gate` of which one slot is taken already: its holder took
    it to choose, holding it, what to ask the provider for (see
    :meth:`CloudSlots.lanes`).  The first :meth:`acquire` takes nothing
    more, later ones (a retry's) wait as the gate's do; :meth:`close`
    gives back the slot taken first if no call used it."""

    def __init__(self, gate):
        self._gate = gate
        self._lock = threading.Lock()
        self._unused = False

    def __enter__(self):
        self._gate.acquire()
        self._unused = True
        return self

    def __exit__(self, *exc_info):
        self.close()

    def acquire(self):
        with self._lock:
            unused, self._unused = self._unused, False
        if not unused:
            self._gate.acquire()

    def release(self):
        self._gate.release()

    def close(self):
        with self._lock:
            unused, self._unused = self._unused, False
        if unused:
            self._gate.release()


class CloudSlots(object):
    """A :class:`FairSemaphore` per cloud name."""

    def __init__(self, per_cloud):
        self.per_cloud = max(1, int(per_cloud))
        self._lock = threading.Lock()
        self._semaphores = {}

    def _semaphore(self, cloud):
        with self._lock:
            if cloud not in self._semaphores:
                self._semaphores[cloud] = FairSemaphore(self.per_cloud)
            return self._semaphores[cloud]

    @contextlib.contextmanager
    def hold(self, cloud):
        """Hold one of ``cloud``'s slots for the duration of the block."""
        semaphore = self._semaphore(cloud)
        semaphore.acquire()
        try:
            yield
        finally:
            semaphore.release()

    def gate(self, cloud, check=None, family=None, rank=0):
        """A :class:`Gate` of ``cloud``'s slots: one taken for each
        provider call, and given back when the provider has answered."""
        return Gate(self._semaphore(cloud), check, family, rank)

    def map(self, items, cloud_of, work, holds=False):
        """Call ``work(item)`` for every item, in parallel across clouds.

        At most ``per_cloud`` items of one cloud are worked on at once;
        with ``holds``, ``work`` holds the cloud's slot itself around its
        provider calls (:meth:`hold` or :meth:`gate`), and
        :data:`LANES_PER_SLOT` times as many items are worked on at once,
        so that one item's bookkeeping (reading and writing its record)
        goes on while another's call waits on the cloud: the calls in
        flight stay within ``per_cloud``.
        Returns ``{index: exception}`` for the items whose work raised.
        """
        lanes = self.per_cloud * (LANES_PER_SLOT if holds else 1)
        queues = collections.defaultdict(collections.deque)
        for index, item in enumerate(items):
            queues[cloud_of(item)].append((index, item))
        failures = {}

        def drain(cloud, queue):
            while True:
                try:
                    index, item = queue.popleft()
                except IndexError:
                    return
                try:
                    with (
                        contextlib.nullcontext() if holds else self.hold(cloud)
                    ):
                        work(item)
                except BaseException as exc:
                    failures[index] = exc

        _run_threads(
            (drain, (cloud, queue))
            for cloud, queue in queues.items()
            for _ in range(min(len(queue), lanes))
        )
        return failures

    def lanes(self, counts, turn):
        """Call ``turn(cloud)`` over and over on ``counts[cloud]`` threads
        per cloud (at most :data:`LANES_PER_SLOT` per slot), each thread
        until its ``turn`` answers false or raises.  For work that takes a
        slot before it knows what to ask for (see :class:`Taken`).
        Returns the exceptions raised, in no order."""
        failures = []

        def serve(cloud):
            try:
                while turn(cloud):
                    pass
            except BaseException as exc:
                failures.append(exc)

        _run_threads(
            (serve, (cloud,))
            for cloud, count in counts.items()
            for _ in range(min(count, self.per_cloud * LANES_PER_SLOT))
        )
        return failures


def _run_threads(targets):
    """Run each ``(function, args)`` of ``targets`` on a thread of its own;
    returns once all have ended."""
    # Plain threads, not a ThreadPoolExecutor: every executor's submit
    # holds a lock shared by all the executors of the process while it
    # starts a thread, so a job starting its lanes would hold up every
    # provider call of the process (each goes through its cloud's
    # executor) and the worker's own hand-out of jobs.
    threads = [
        threading.Thread(
            target=function, args=args, name='job-call', daemon=True
        )
        for function, args in targets
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
