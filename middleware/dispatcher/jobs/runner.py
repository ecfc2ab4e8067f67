"""Running one job: claim its lease, call its handler, record the outcome.

Whatever executor starts a job (a thread of this process, or a worker of a
queue) calls :func:`run_job`; everything a handler needs reaches it through
its :class:`JobContext`, and everything it does is written to the database.
A handler returns the job's result, or raises: :class:`JobFailed` or a
:class:`~dispatcher.errors.MiddlewareError` (the job failed, with that
error), :class:`JobCancelled` (it stopped because it was asked to).
"""

import contextlib
import logging
import threading
import time

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import OperationalError

from dispatcher import errors, metrics
from dispatcher.context import REQUEST_ID
from dispatcher.jobs import leases, registry
from dispatcher.storage import database as app_database
from dispatcher.storage import dialect_insert, statements
from dispatcher.storage.models import Job, JobStep
from dispatcher.storage.types import utcnow

#: The tables a job's steps and progress are written to with plain
#: statements (a stack writes a step and its progress for each node).
JOBS = Job.__table__
STEPS = JobStep.__table__

LOG = logging.getLogger(__name__)

#: Seconds between two reads of a job's cancellation flag.
CANCEL_CHECK_INTERVAL = 0.5

#: Seconds at least between two writes of a job's progress counted from
#: its steps as they end (see :meth:`JobContext.progress`).
PROGRESS_SECONDS = 0.5


def _steps_ended(job_id):
    """The number of the job's steps that have ended, counted by the
    database in the statement that uses it."""
    return (
        select(func.count())
        .select_from(STEPS)
        .where(
            STEPS.c.job_id == job_id,
            STEPS.c.status.in_(('succeeded', 'failed')),
        )
        .scalar_subquery()
    )


@statements.once_per_shape
def _counted_progress():
    return (
        update(JOBS)
        .where(JOBS.c.id == bindparam('job_id'))
        .values(
            progress_done=_steps_ended(bindparam('job_id')),
            updated_at=bindparam('now'),
        )
    )


@statements.once_per_shape
def _step_statement(is_sqlite):
    statement = dialect_insert(is_sqlite)(STEPS).values(
        statements.binds(
            (
                'job_id',
                'name',
                'created_at',
                'status',
                'result',
                'error',
                'updated_at',
            )
        )
    )
    return statement.on_conflict_do_update(
        index_elements=['job_id', 'name'],
        set_={
            name: statement.excluded[name]
            for name in ('status', 'result', 'error', 'updated_at')
        },
    )


class JobCancelled(Exception):
    """The job stopped because its cancellation was requested."""


class JobInterrupted(Exception):
    """This process stopped running the job (lease lost, shutting down);
    another process resumes it."""


class JobFailed(Exception):
    """The job failed with ``error`` (a MiddlewareError) and ``result``."""

    def __init__(self, error, result=None):
        super(JobFailed, self).__init__(error.message)
        self.error = error
        self.result = result


class JobContext(object):
    """What a handler sees of its job, its app and this process."""

    def __init__(self, app, job, executor):
        self.app = app
        self.job_id = job.id
        self.kind = job.kind
        self.params = dict(job.params or {})
        self.target_id = job.target_id
        self.started_at = job.started_at
        self.attempts = job.attempts
        self.executor = executor
        self.database = app_database(app)
        #: Its turn in waits for a cloud's slots: a child job waits as
        #: one of its parent's family, in its rank among the children (see
        #: :class:`~dispatcher.jobs.limits.FairSemaphore`).
        self.family = self.params.get('parent') or job.id
        self.rank = int(self.params.get('index') or 0)
        self._cancel_checked = 0.0
        self._cancelled = False
        self._progress_lock = threading.Lock()
        self._counted_at = -PROGRESS_SECONDS
        #: Whether the job's progress is its count of ended steps, written
        #: soon (see :meth:`progress`): then it is written when it ends.
        self.counted = False

    @property
    def config(self):
        return self.app.config

    @property
    def slots(self):
        """The per-cloud limit of provider calls made by jobs."""
        return self.executor.slots

    def interrupted(self):
        """Whether this process must stop running the job now."""
        return self.executor.interrupted(self.job_id)

    def cancel_requested(self):
        """Whether someone asked to cancel the job (read at most twice a
        second: by the executor for all the jobs of its process, or here
        for this one)."""
        if self._cancelled:
            return True
        asked = self.executor.cancel_asked(self.job_id)
        if asked is not None:
            self._cancelled = asked
            return asked
        now = time.monotonic()
        if now - self._cancel_checked >= CANCEL_CHECK_INTERVAL:
            self._cancel_checked = now
            with self.database.session() as session:
                self._cancelled = bool(
                    session.scalar(
                        select(Job.cancel_requested).where(
                            Job.id == self.job_id
                        )
                    )
                )
        return self._cancelled

    def check(self, cancellable=True):
        """Raise if the job must stop here: interrupted, or cancelled."""
        if self.interrupted():
            raise JobInterrupted(self.job_id)
        if cancellable and self.cancel_requested():
            raise JobCancelled(self.job_id)

    def progress(self, done=None, total=None, session=None, soon=False):
        """Record the job's progress: ``done`` of ``total`` steps.

        ``done`` defaults to the number of steps that have ended.  With
        ``soon`` (and neither ``done`` nor ``total``), that count is written
        at most every :data:`PROGRESS_SECONDS`: a job whose steps end by
        the dozen a second writes its progress twice a second, not with
        each step; the count a job owes is written when it ends.
        """
        if soon and done is None and total is None and not self._due():
            return
        with self._session(session) as session:
            if done is None and total is None:
                session.connection().execute(
                    _counted_progress(),
                    {'job_id': self.job_id, 'now': utcnow()},
                )
                return
            if done is None:
                done = _steps_ended(self.job_id)
            values = {'progress_done': done, 'updated_at': utcnow()}
            if total is not None:
                values['progress_total'] = total
            session.execute(
                update(JOBS).where(JOBS.c.id == self.job_id).values(**values)
            )

    def _due(self):
        """Whether a count of the steps is due now (see :meth:`progress`);
        the job owes its count from then on."""
        with self._progress_lock:
            self.counted = True
            now = time.monotonic()
            if now - self._counted_at < PROGRESS_SECONDS:
                return False
            self._counted_at = now
            return True

    def record_step(
        self,
        name,
        status,
        result=None,
        error=None,
        session=None,
        progress=True,
    ):
        """Record (or update) the outcome of the step called ``name``, and
        the progress (soon: see :meth:`progress`; not at all if
        ``progress`` is false: the caller records it once for many steps);
        in ``session`` when given (the caller commits)."""
        self.record_steps(
            [(name, status, result, error)], session=session, progress=progress
        )

    def record_steps(self, steps, session=None, progress=True):
        """:meth:`record_step` for each ``(name, status, result, error)``
        of ``steps``, with one statement."""
        now = utcnow()
        with self._session(session) as session:
            # One statement, whether the steps are new or seen again.
            session.connection().execute(
                _step_statement(self.database.is_sqlite),
                [
                    statements.values(
                        {
                            'job_id': self.job_id,
                            'name': name,
                            'created_at': now,
                            'status': status,
                            'result': result,
                            'error': error,
                            'updated_at': now,
                        }
                    )
                    for name, status, result, error in steps
                ],
            )
            if progress:
                self.progress(session=session, soon=True)

    def _session(self, session):
        if session is not None:
            return contextlib.nullcontext(session)
        return self.database.session(write=True)


def _finish(
    database, job_id, owner, status, result=None, error=None, counted=False
):
    """End the job with ``status``; ``counted``: its progress is its count
    of ended steps (written soon, see :meth:`JobContext.progress`), which
    is written now, as the job owes it."""
    now = utcnow()
    values = {
        'status': status,
        'result': result,
        'error': error,
        'finished_at': now,
        'updated_at': now,
        'lease_owner': None,
        'lease_expires_at': None,
    }
    with database.session(write=True) as session:
        if status == 'succeeded':
            total = session.scalar(
                select(Job.progress_total).where(Job.id == job_id)
            )
            values['progress_done'] = total
        elif counted:
            values['progress_done'] = _steps_ended(job_id)
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_owner == owner)
            .values(**values)
        )


def _hand_on(database, owner, job_id):
    """Give the job's lease up, if the database lets us: else it expires
    by itself."""
    try:
        leases.give_up(database, owner, job_id)
    except OperationalError:
        LOG.warning('job %s: its lease expires by itself', job_id)


def run_job(app, job_id, executor):
    """Run job ``job_id`` here if its lease can be had; returns its final
    status, or ``None`` when it did not run or was interrupted."""
    database = app_database(app)
    owner = executor.owner
    seconds = app.config.get('JOB_LEASE_SECONDS', 30)
    if not leases.claim(database, job_id, owner, seconds):
        return None
    executor.track(job_id)
    # The job's log lines, and its provider calls', carry its id.
    REQUEST_ID.set('job:%s' % job_id)
    metrics.JOBS_RUNNING.inc()
    started = time.monotonic()
    status = None
    seen = {'kind': 'unknown'}
    try:
        status = _run_claimed(app, job_id, executor, database, owner, seen)
        return status
    finally:
        executor.untrack(job_id)
        metrics.JOBS_RUNNING.dec()
        metrics.JOB_SECONDS.labels(seen['kind']).observe(
            time.monotonic() - started
        )
        metrics.JOBS_FINISHED.labels(seen['kind'], status or 'handed_on').inc()


def _run_claimed(app, job_id, executor, database, owner, seen):
    """The body of :func:`run_job`, its lease held: the final status
    (``seen['kind']`` gets the job's kind, for the metrics)."""
    with database.session() as session:
        job = session.scalars(select(Job).where(Job.id == job_id)).one()
    seen['kind'] = job.kind
    context = JobContext(app, job, executor)
    handler = registry.handler_for(job.kind)
    try:
        with app.app_context():
            result = handler(context)
    except JobInterrupted:
        LOG.info(
            'job %s (%s) interrupted; it resumes elsewhere',
            job_id,
            job.kind,
        )
        leases.give_up(database, owner, job_id)
        return None
    except JobCancelled:
        _finish(database, job_id, owner, 'cancelled', counted=context.counted)
        return 'cancelled'
    except JobFailed as exc:
        _finish(
            database,
            job_id,
            owner,
            'failed',
            result=exc.result,
            error=exc.error.to_dict(),
            counted=context.counted,
        )
        return 'failed'
    except Exception as exc:
        if isinstance(exc, OperationalError):
            # The database cannot be reached (or has no connection left):
            # not the job's failure.  It resumes once the database answers.
            LOG.warning(
                'job %s (%s) stopped: the database failed (%s); it resumes '
                'when it answers',
                job_id,
                job.kind,
                type(exc.orig).__name__ if exc.orig else type(exc).__name__,
            )
            _hand_on(database, owner, job_id)
            return None
        if executor.interrupted(job_id):
            # The process is stopping (its clouds may refuse calls
            # already), or lost the lease: not the job's failure.
            LOG.info(
                'job %s (%s) stopped with its process (%s); it resumes '
                'elsewhere',
                job_id,
                job.kind,
                type(exc).__name__,
            )
            leases.give_up(database, owner, job_id)
            return None
        if isinstance(exc, errors.MiddlewareError):
            _finish(
                database,
                job_id,
                owner,
                'failed',
                error=exc.to_dict(),
                counted=context.counted,
            )
            return 'failed'
        LOG.exception('job %s (%s) failed unexpectedly', job_id, job.kind)
        _finish(
            database,
            job_id,
            owner,
            'failed',
            error=errors.MiddlewareError(
                'internal error while running the job; quote the '
                'job id when reporting it'
            ).to_dict(),
            counted=context.counted,
        )
        return 'failed'
    _finish(database, job_id, owner, 'succeeded', result=result)
    return 'succeeded'
