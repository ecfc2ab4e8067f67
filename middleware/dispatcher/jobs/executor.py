"""The executor interface: where and when jobs run.

The service records a job in the database (``queued``) and hands its id to
the app's executor; the executor arranges for
:func:`dispatcher.jobs.runner.run_job` to be called with it on some process
that has the same settings.  The default runs jobs on threads of the API
process (:class:`~dispatcher.jobs.inprocess.InProcessExecutor`).  Another
executor (a Celery one, say, whose ``submit`` sends the id to a queue and
whose workers call ``run_job``) is named by the ``JOB_EXECUTOR`` setting;
orchestration code only ever calls the methods below.
"""

import abc
import logging
import os
import threading
import time

from dispatcher.jobs import leases
from dispatcher.jobs.limits import CloudSlots
from dispatcher.jobs.periodic import ClusterTurn, Periodic
from dispatcher.storage import Database
from dispatcher.storage import database as app_database

LOG = logging.getLogger(__name__)


class JobExecutor(abc.ABC):
    """Runs jobs recorded in the app's database.

    :param app: the Flask app whose database, farm and settings jobs use.
    """

    def __init__(self, app):
        self.app = app
        #: Limits on provider calls made by this process's jobs.
        self.slots = CloudSlots(app.config.get('JOB_CONCURRENCY_PER_CLOUD', 4))
        self.periodic = []
        #: Seconds the cluster goes without a periodic work whose process
        #: was lost, before another takes it over.
        self.cluster_lease_seconds = float(
            app.config.get('CLUSTER_LEASE_SECONDS', 10)
        )

    @property
    def database(self):
        return app_database(self.app)

    _lease_database = None

    @property
    def lease_database(self):
        """The database, through a connection of its own: the renewal of
        leases never waits behind busy jobs for one of the pool's, which
        could let a lease expire under a job that still runs."""
        if self._lease_database is None:
            self._lease_database = Database(
                self.database.url, pool_size=1, max_overflow=1
            )
        return self._lease_database

    def close_lease_database(self):
        if self._lease_database is not None:
            self._lease_database.dispose()

    #: Whether this process runs periodic work (its turn permitting).
    runs_periodic = True

    #: Whether jobs run on many workers, so that a big job gains from
    #: handing parts of its work to child jobs.
    spreads_jobs = False

    @abc.abstractmethod
    def submit(self, job_id):
        """Arrange for the queued job ``job_id`` to run soon."""

    def start(self):
        """Called once when the app is built: take up unfinished jobs whose
        process has gone (their lease expired or their process died)."""

    def wake(self):
        """A hint that jobs may be waiting (e.g. someone asks about one)."""

    def every(self, seconds, function, name, start=True, cluster=True):
        """Call ``function()`` every ``seconds`` until :meth:`shutdown`,
        from now, or from the first ``ensure()`` of the returned
        :class:`~dispatcher.jobs.periodic.Periodic` when not ``start``
        (``ensure()`` also restarts it in a forked child).

        :param cluster: once per cluster: only the process holding the
            cluster lease ``name`` does the work; ``False``: every process
            (work on this process's own jobs).
        """
        periodic = Periodic(
            name,
            seconds,
            function,
            turn=(
                ClusterTurn(self.database, name, self.cluster_lease_seconds)
                if cluster
                else None
            ),
            enabled=self.runs_periodic or not cluster,
        )
        self.periodic.append(periodic)
        if start:
            periodic.ensure()
        return periodic

    def stop_periodic(self, wait=False):
        for periodic in self.periodic:
            periodic.stop(wait)

    def shutdown(self, wait=False):
        """Stop running jobs here; unfinished ones resume elsewhere."""
        self.stop_periodic(wait)

    # What runner.run_job asks of the process that runs a job.

    owner = None

    def track(self, job_id):
        """``job_id`` runs in this process now (keep its lease alive)."""

    def untrack(self, job_id):
        """``job_id`` no longer runs in this process."""

    def interrupted(self, job_id):
        """Whether this process must stop running ``job_id``."""
        return False

    def cancel_asked(self, job_id):
        """Whether someone asked to cancel ``job_id``, running here, as
        this process last read it; ``None``: the job reads it itself."""
        return None


class _Cancels(object):
    """The cancellations last read for the jobs of a process: ``read(ids)``
    answers which of the job ids ``ids`` someone asked to cancel."""

    def __init__(self, read, seconds):
        self._read = read
        self._seconds = seconds
        self._lock = threading.Lock()
        self._read_at = -seconds
        self._covered = frozenset()
        self._asked = frozenset()

    def asked(self, job_id, running):
        """Whether ``job_id`` is to be cancelled; ``running()``: the ids of
        the jobs the read covers besides it."""
        covered = job_id in self._covered
        if covered and time.monotonic() - self._read_at < self._seconds:
            return job_id in self._asked
        # One reader at a time; a job the last read covered takes its
        # answer rather than wait for the next one.
        if self._lock.acquire(blocking=not covered):
            try:
                if (
                    job_id not in self._covered
                    or time.monotonic() - self._read_at >= self._seconds
                ):
                    ids = frozenset(running()) | {job_id}
                    self._read_at = time.monotonic()
                    self._asked = frozenset(self._read(ids))
                    self._covered = ids
            finally:
                self._lock.release()
        return job_id in self._asked


class LeaseHolder(object):
    """The jobs an executor runs in this process, kept under their leases.

    For executors whose processes run jobs: they set ``_lock``, ``_stop``
    (an ``Event``), ``_running`` and ``_lost`` (sets), ``owner`` and
    ``lease_seconds``, and call :meth:`renew_leases` every third of a
    lease.
    """

    #: Seconds at most between two reads of the cancellations of the
    #: jobs running here.
    cancel_check_seconds = 0.5

    _cancels = None
    _cancels_pid = None

    def track(self, job_id):
        with self._lock:
            self._running.add(job_id)
            self._lost.discard(job_id)

    def cancel_asked(self, job_id):
        """Whether someone asked to cancel ``job_id`` (running here).

        One statement reads it for every job of the process, at most every
        :attr:`cancel_check_seconds`, on its own connection (see
        :attr:`~JobExecutor.lease_database`): a process running many jobs
        (a big stack's children, each checking before every provider call)
        makes two reads a second, not two per job, and a job's check never
        waits for a connection of the pool.  The caller that finds the
        answer due reads it; the others meanwhile take the last answer.  A
        job the last read did not cover waits for a read that does."""
        with self._lock:
            if self._cancels is None or self._cancels_pid != os.getpid():
                # A forked child has jobs of its own.
                self._cancels_pid = os.getpid()
                self._cancels = _Cancels(
                    lambda ids: leases.cancel_asked(self.lease_database, ids),
                    self.cancel_check_seconds,
                )
            cancels = self._cancels
        return cancels.asked(job_id, self._running_now)

    def _running_now(self):
        with self._lock:
            return set(self._running)

    def untrack(self, job_id):
        with self._lock:
            self._running.discard(job_id)
            self._lost.discard(job_id)

    def interrupted(self, job_id):
        return self._stop.is_set() or job_id in self._lost

    def renew_leases(self):
        """Renew the leases of the jobs running here; a job whose lease
        was lost (another process took it over) stops at its next step."""
        with self._lock:
            running = set(self._running)
        if not running:
            return
        held = leases.renew(
            self.lease_database, self.owner, running, self.lease_seconds
        )
        with self._lock:
            lost = (running - held) & self._running
            if lost:
                LOG.warning(
                    'lost the lease of job(s) %s; stopping them',
                    ', '.join(sorted(lost)),
                )
            self._lost |= lost
