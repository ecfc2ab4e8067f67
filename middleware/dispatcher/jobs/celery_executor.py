"""The scale-out executor: jobs run on Celery workers (``mw worker``).

Chosen when ``BROKER_URL`` (``MW_BROKER_URL``) names a Redis or RabbitMQ
broker.  An API process records a job in the database, as always, and
sends its id to the queue; a worker takes the message and calls
:func:`dispatcher.jobs.runner.run_job`, the same code the in-process
executor runs.  The job's state stays in the database, so any API host
answers for any job.

What keeps the work safe when parts fail:

* The job's lease in the database, not the message, says who runs it: a
  job never runs on two workers at once, and a duplicate message is
  dropped when its claim fails.
* Messages are acknowledged late (after the job), so a worker that dies
  leaves its message to the broker, which hands it to another worker.
* A keeper, once per cluster (a cluster lease), sends again the jobs
  whose lease has expired or whose message the broker lost (a Redis
  restarted without persistence, a broker unreachable when the job was
  made).  Another worker resumes them from what the database says.
* A worker that stops (``SIGTERM``) hands its jobs back to the queue at
  their next step.

The API processes run no periodic work: the inventory's round and the
keeper run on the workers, once per cluster.
"""

import logging
import threading

from dispatcher.jobs import celery_app, leases
from dispatcher.jobs.executor import JobExecutor, LeaseHolder
from dispatcher.jobs.runner import run_job
from dispatcher.storage.types import utcnow

LOG = logging.getLogger(__name__)


class CeleryExecutor(LeaseHolder, JobExecutor):
    """Sends jobs to Celery; in ``mw worker``, also runs them."""

    #: API processes leave the periodic work to the workers.
    runs_periodic = False

    #: A big stack's creates go to child jobs, spread over the workers.
    spreads_jobs = True

    def __init__(self, app):
        super(CeleryExecutor, self).__init__(app)
        self.lease_seconds = float(app.config.get('JOB_LEASE_SECONDS', 30))
        self.queue = str(app.config.get('WORKER_QUEUE') or 'mw-jobs')
        self.celery = celery_app.make_celery(app.config, self)
        self.owner = leases.new_owner()
        self._lock = threading.Lock()
        self._running = set()
        self._lost = set()
        self._stop = threading.Event()
        self._sent = {}

    # -- the interface ----------------------------------------------------

    def submit(self, job_id):
        """Send ``job_id`` to the queue.  A broker that cannot be reached
        leaves the job queued in the database: the keeper sends it again."""
        try:
            self.celery.send_task(
                celery_app.RUN_JOB,
                args=[job_id],
                queue=self.queue,
                retry=True,
                retry_policy=celery_app.PUBLISH_RETRY,
            )
        except Exception as exc:
            LOG.warning(
                'job %s is queued in the database, but the broker did not '
                'take it (%s: %s); it is sent again within %d s',
                job_id,
                type(exc).__name__,
                exc,
                int(self.lease_seconds),
            )

    def shutdown(self, wait=False):
        """Stop running jobs here: each stops at its next step and goes
        back to the queue."""
        self._stop.set()
        self.stop_periodic(wait)
        self.close_lease_database()
        try:
            self.celery.close()
        except Exception:
            LOG.debug('closing the Celery app failed', exc_info=True)

    # -- in a worker ------------------------------------------------------

    def serve(self):
        """Start what a worker runs beside its jobs: the renewal of their
        leases, and (once per cluster) the keeper and the periodic work of
        the service."""
        self.every(
            max(0.1, min(self.lease_seconds / 3.0, 10.0)),
            self.renew_leases,
            'job-leases',
            cluster=False,
        )
        self.every(
            max(0.5, min(self.lease_seconds / 3.0, 5.0)),
            self.keep,
            'job-keeper',
        )
        for periodic in self.periodic:
            periodic.enabled = True
            periodic.ensure()

    def run(self, job_id):
        """The task's body: run ``job_id`` here if its lease can be had.
        A job this worker stopped running (it is stopping, or lost the
        lease) goes back to the queue before the message is acknowledged.
        """
        if self._stop.is_set():
            self.submit(job_id)
            return None
        status = run_job(self.app, job_id, self)
        if status is None and self._stop.is_set():
            self.submit(job_id)
        return status

    def keep(self):
        """Send again the unfinished jobs nobody runs: their lease expired
        (their worker died) or their message was lost.  Once per cluster;
        a job is sent at most once a lease period."""
        now = utcnow()
        clock = now.timestamp()
        unclaimed = leases.unclaimed(
            self.database, self.owner, now, self.lease_seconds
        )
        for job_id in unclaimed:
            if clock - self._sent.get(job_id, 0.0) < self.lease_seconds:
                continue
            LOG.info('job %s has no worker; sending it again', job_id)
            self._sent[job_id] = clock
            self.submit(job_id)
        self._sent = {
            job_id: at
            for job_id, at in self._sent.items()
            if job_id in unclaimed
        }

    def run_worker(self, concurrency=None, queues=None, loglevel=None):
        """Run a Celery worker of this app's queue until it is stopped
        (``SIGTERM`` or Ctrl-C: a warm shutdown, its jobs handed back);
        returns its exit code."""
        from celery import signals

        concurrency = int(
            concurrency or self.app.config.get('WORKER_CONCURRENCY') or 8
        )
        queues = list(queues or [self.queue])

        def stopping(**kwargs):
            self.shutdown(wait=False)

        signals.worker_shutting_down.connect(stopping, weak=False)
        self.serve()
        worker = self.celery.Worker(
            pool='threads',
            concurrency=max(1, concurrency),
            queues=queues,
            loglevel=(loglevel or self.app.config.get('LOG_LEVEL') or 'INFO'),
            hostname='mw-%s@%s' % tuple(reversed(self.owner.split(':')[:2])),
            without_gossip=True,
            without_mingle=True,
            without_heartbeat=True,
            redirect_stdouts=False,
        )
        worker.start()
        return worker.exitcode
