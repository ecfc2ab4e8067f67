"""The default executor: jobs run on threads of the API process.

Up to ``JOB_WORKERS`` jobs run at once; more wait in a queue.  While this
process runs jobs, or any job in the database is unfinished, a keeper
thread renews the leases of the jobs running here every third of
``JOB_LEASE_SECONDS`` and takes up the jobs whose process has gone (lease
expired, or a process of this host that died).  With nothing to do, no
thread runs.  Threads are daemons: a process that is killed leaves its
jobs to the next one, through their leases.  A process that stops
(``SIGTERM`` to gunicorn, the end of ``mw serve``) hands its running jobs
on first: each stops at its next step and gives up its lease, with its
state kept, while the clouds' threads still take calls, and the next
process resumes it.
"""

import atexit
import logging
import os
import queue
import threading
import weakref

from dispatcher.jobs import leases
from dispatcher.jobs.executor import JobExecutor, LeaseHolder
from dispatcher.jobs.runner import run_job

LOG = logging.getLogger(__name__)

#: Failed rounds in a row after which the keeper thread gives up.
MAX_KEEPER_FAILURES = 10


def at_process_exit(executor):
    """Hand ``executor``'s jobs on when the process exits.

    Registered with the threading module's exit hooks where it has them:
    those run, last registered first, before the thread pools of
    ``concurrent.futures`` refuse work, so a job still finishes the step it
    is on.  (``atexit`` runs after that: a job would see its clouds gone.)
    """
    # concurrent.futures registers its own hook (which makes thread pools
    # refuse work) when its ``thread`` module is first imported, which it
    # does lazily: import it now, so that this hook, registered after it,
    # runs before it whatever the process did first.
    import concurrent.futures.thread  # noqa: F401

    reference = weakref.ref(executor)

    def hand_on():
        alive = reference()
        if alive is not None:
            alive.shutdown(wait=True)

    register = getattr(threading, '_register_atexit', None)
    try:
        if register is None:
            raise RuntimeError('no threading exit hooks')
        register(hand_on)
    except RuntimeError:
        atexit.register(hand_on)


class InProcessExecutor(LeaseHolder, JobExecutor):
    """Runs jobs on daemon threads of this process."""

    def __init__(self, app):
        super(InProcessExecutor, self).__init__(app)
        self.max_workers = max(2, int(app.config.get('JOB_WORKERS', 8)))
        self.lease_seconds = float(app.config.get('JOB_LEASE_SECONDS', 30))
        self._lock = threading.RLock()
        self._reset()

    def _reset(self):
        self.owner = leases.new_owner()
        self._pid = os.getpid()
        self._queue = queue.Queue()
        self._workers = []
        self._idle = 0
        self._waiting = set()
        self._starting = set()
        self._running = set()
        self._lost = set()
        self._keeper = None
        self._stop = threading.Event()

    def _after_fork(self):
        # A forked child has none of its parent's threads.
        if self._pid != os.getpid():
            self._reset()

    # -- the interface ----------------------------------------------------

    def submit(self, job_id):
        with self._lock:
            self._after_fork()
            if (
                self._stop.is_set()
                or job_id in self._waiting
                or job_id in self._starting
                or job_id in self._running
            ):
                return
            self._waiting.add(job_id)
            self._queue.put(job_id)
            if (
                self._idle < len(self._waiting)
                and len(self._workers) < self.max_workers
            ):
                self._start_thread(self._work, 'job-worker', self._workers)
            self._ensure_keeper()

    def start(self):
        at_process_exit(self)
        try:
            unfinished = leases.unfinished(self.database)
        except Exception:
            LOG.exception('cannot look for unfinished jobs')
            return
        if unfinished:
            LOG.info(
                '%d unfinished job(s) in the database; taking up '
                'those whose process has gone',
                len(unfinished),
            )
            self.wake()

    def wake(self):
        with self._lock:
            self._after_fork()
            if not self._stop.is_set():
                self._ensure_keeper()

    def shutdown(self, wait=False):
        self.stop_periodic(wait)
        with self._lock:
            self._stop.set()
            workers, keeper = list(self._workers), self._keeper
            for _ in workers:
                self._queue.put(None)
        if wait:
            for thread in workers + ([keeper] if keeper else []):
                thread.join(30)
            self.close_lease_database()

    # -- threads ----------------------------------------------------------

    def _start_thread(self, target, name, group=None):
        thread = threading.Thread(target=target, name=name, daemon=True)
        if group is not None:
            group.append(thread)
        thread.start()
        return thread

    def _ensure_keeper(self):
        if self._keeper is None or not self._keeper.is_alive():
            self._keeper = self._start_thread(self._keep, 'job-keeper')

    def _work(self):
        while True:
            with self._lock:
                self._idle += 1
            job_id = self._queue.get()
            with self._lock:
                self._idle -= 1
                self._waiting.discard(job_id)
                if job_id is None or self._stop.is_set():
                    return
                self._starting.add(job_id)
            try:
                run_job(self.app, job_id, self)
            except Exception:
                LOG.exception('job %s could not be run', job_id)
            finally:
                with self._lock:
                    self._starting.discard(job_id)

    def _keep(self):
        interval = max(0.1, min(self.lease_seconds / 3.0, 10.0))
        failures = 0
        while not self._stop.is_set():
            try:
                if self._keep_once():
                    return
                failures = 0
            except Exception:
                failures += 1
                if failures >= MAX_KEEPER_FAILURES:
                    # The next submit or wake() starts a new keeper.
                    LOG.exception(
                        'the database cannot be reached; job '
                        'lease renewal stops until the next job'
                    )
                    with self._lock:
                        self._keeper = None
                    return
                LOG.warning(
                    'job lease renewal failed; retrying', exc_info=True
                )
            self._stop.wait(interval)

    def _keep_once(self):
        """One round of renewal and recovery; ``True`` when idle."""
        self.renew_leases()
        for job_id in leases.recoverable(self.database, self.owner):
            self.submit(job_id)
        unfinished = leases.unfinished(self.database)
        with self._lock:
            if not (
                unfinished or self._running or self._waiting or self._starting
            ):
                self._keeper = None
                return True
        return False
