"""Work repeated every few seconds on a daemon thread, once per cluster.

Used for the inventory's round of due syncs and, with the Celery executor,
for the keeper that hands lost jobs to the workers.  Every process that may
do such work runs its thread, but a round does the work only in the process
that holds the work's cluster lease (:mod:`dispatcher.storage.cluster`):
one process of all hosts at a time.  When that process stops renewing it
(it or its host is gone), another takes it over once it expires.
"""

import logging
import os
import threading
import time

from dispatcher.jobs import leases
from dispatcher.storage import cluster
from dispatcher.storage.types import utcnow

LOG = logging.getLogger(__name__)


class ClusterTurn(object):
    """Whether it is this process's turn to do the work called ``name``:
    it holds the cluster lease ``name``.

    The holder renews its lease once a third of it has passed since the
    last renewal, not every round: until then it holds it for certain
    (only its owner gives a live process's lease up), and a write every
    round would only make every process's read caches start again (see
    :mod:`dispatcher.storage.changes`).  A process that does not hold it
    reads the lease every round, and tries to take it only when it is
    free, expired, or held by a process of this host that died: a round
    of the processes that wait costs one read each, not a write.

    :param seconds: how long the lease lasts without renewal: how long the
        cluster goes without the work after its process was lost.
    """

    def __init__(self, database, name, seconds):
        self.database = database
        self.name = name
        self.seconds = float(seconds)
        self._pid = None
        self.owner = None
        #: When (``time.monotonic()``) this process last took or renewed
        #: the lease, or ``None`` when it does not hold it.
        self._renewed = None

    def mine(self):
        """Take or renew the lease when due; whether this process holds
        it."""
        if self._pid != os.getpid():
            # A forked child is a process of its own.
            self._pid, self.owner = os.getpid(), leases.new_owner()
            self._renewed = None
        asked = time.monotonic()
        if (
            self._renewed is not None
            and asked - self._renewed < self.seconds / 3.0
        ):
            return True
        self._renewed = None
        try:
            holder, expires = cluster.holder(self.database, self.name)
            if (
                holder not in (None, self.owner)
                and expires is not None
                and expires > utcnow()
            ):
                # Another process holds it: a read is all this round
                # costs, unless that process died on this host (then its
                # lease needs no waiting for).
                held = leases.owner_is_dead(holder) and cluster.hold(
                    self.database,
                    self.name,
                    self.owner,
                    self.seconds,
                    steal_from=holder,
                )
            else:
                held = cluster.hold(
                    self.database, self.name, self.owner, self.seconds
                )
            if held:
                self._renewed = asked
            return held
        except Exception:
            LOG.warning(
                'cannot take the cluster lease %r', self.name, exc_info=True
            )
            return False

    def release(self):
        """Let another process take the work at once."""
        if self.owner is None or self._pid != os.getpid():
            return
        self._renewed = None
        try:
            cluster.release(self.database, self.name, self.owner)
        except Exception:
            LOG.warning(
                'cannot release the cluster lease %r', self.name, exc_info=True
            )


class Periodic(object):
    """Calls ``function()`` every ``seconds`` until :meth:`stop`, in the
    rounds where ``turn`` (a :class:`ClusterTurn`, or ``None``: every
    round) says so.

    The thread starts with :meth:`ensure` (again in a forked child, which
    has none of its parent's threads), unless ``enabled`` is false.  A
    round that raises is logged and the next one runs as planned.
    """

    def __init__(self, name, seconds, function, turn=None, enabled=True):
        self.name = name
        self.seconds = float(seconds)
        self.function = function
        self.turn = turn
        self.enabled = enabled
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        self._pid = None

    def ensure(self):
        """Start the thread unless it runs (or :meth:`stop` was called)."""
        with self._lock:
            if self._stop.is_set() or not self.enabled:
                return
            if (
                self._thread is not None
                and self._pid == os.getpid()
                and self._thread.is_alive()
            ):
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(
                target=self._run, name=self.name, daemon=True
            )
            self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                if self.turn is None or self.turn.mine():
                    self.function()
            except Exception:
                LOG.warning('%s: a round failed', self.name, exc_info=True)
            self._stop.wait(
                max(0.0, self.seconds - (time.monotonic() - started))
            )

    def stop(self, wait=False):
        with self._lock:
            self._stop.set()
            thread = self._thread
        if wait and thread is not None and thread.is_alive():
            thread.join(10)
        if self.turn is not None:
            # A round under way finishes; the next one is another's.
            self.turn.release()
