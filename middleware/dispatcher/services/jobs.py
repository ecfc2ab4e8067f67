"""Jobs as the API shows them: list, show, cancel, and queue new ones.

The job itself lives in the database, so any API host answers for any job,
whichever process runs it.
"""

import dataclasses
import enum
from typing import Optional

from sqlalchemy import select, update

from dispatcher import errors
from dispatcher.jobs import registry
from dispatcher.services import keyset, visibility
from dispatcher.storage.models import (
    FINAL_JOB_STATES,
    JOB_STATES,
    Job,
    JobStep,
)
from dispatcher.storage.types import isoformat, utcnow


def new_job(
    session,
    kind,
    requested_by,
    params=None,
    target_type=None,
    target_id=None,
    total=0,
):
    """Add a queued job to ``session`` (the caller commits, then submits)."""
    now = utcnow()
    job = Job(
        kind=kind,
        status='queued',
        params=dict(params or {}),
        target_type=target_type,
        target_id=target_id,
        requested_by=requested_by,
        progress_done=0,
        progress_total=total,
        cancel_requested=False,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    session.flush()
    return job


#: Where a job is.
JobState = enum.StrEnum(
    'JobState', {state.upper(): state for state in JOB_STATES}
)


@dataclasses.dataclass
class JobStepView:
    """One step of a job and its outcome (e.g. one node created)."""

    name: str
    status: str
    result: Optional[dict]
    error: Optional[dict]
    updated_at: str


@dataclasses.dataclass
class JobView:
    """A job as the API shows it."""

    id: str
    kind: str
    status: JobState
    #: ``{"done": n, "total": m}``.
    progress: dict
    #: ``{"type": "stack", "id": ...}``, or ``None``.
    target: Optional[dict]
    result: Optional[dict]
    error: Optional[dict]
    cancel_requested: bool
    attempts: int
    requested_by: str
    created_at: str
    started_at: Optional[str]
    updated_at: str
    finished_at: Optional[str]
    #: Its steps, in the detailed view only.
    steps: Optional[list] = None


def describe(job, steps=None):
    """A :class:`JobView`; ``steps`` only in the detailed view."""
    return JobView(
        id=job.id,
        kind=job.kind,
        status=JobState(job.status),
        progress={'done': job.progress_done, 'total': job.progress_total},
        target=(
            {'type': job.target_type, 'id': job.target_id}
            if job.target_type
            else None
        ),
        result=job.result,
        error=job.error,
        cancel_requested=job.cancel_requested,
        attempts=job.attempts,
        requested_by=job.requested_by,
        created_at=isoformat(job.created_at),
        started_at=isoformat(job.started_at),
        updated_at=isoformat(job.updated_at),
        finished_at=isoformat(job.finished_at),
        steps=(
            None if steps is None else [describe_step(step) for step in steps]
        ),
    )


def describe_step(step):
    """A :class:`JobStepView`."""
    return JobStepView(
        name=step.name,
        status=step.status,
        result=step.result,
        error=step.error,
        updated_at=isoformat(step.updated_at),
    )


def find_job(session, job_id, clouds=None):
    """The job ``job_id``; 404 if unknown, or not visible to a caller
    seeing only ``clouds``."""
    job = session.scalars(select(Job).where(Job.id == job_id)).first()
    if job is None or not (
        clouds is None or visibility.visible_jobs(session, [job], clouds)
    ):
        raise errors.NotFound(
            'job %r not found' % job_id, code='job_not_found'
        )
    return job


def list_jobs(
    database, limit, marker=None, status=None, kind=None, clouds=None
):
    """``(jobs, next_marker)``, newest first, filtered by status and kind
    (and to those a caller seeing only ``clouds`` may see)."""
    status = keyset.choice(status, JOB_STATES, 'status')
    kind = keyset.choice(kind, registry.kinds(), 'kind')
    statement = select(Job)
    if status:
        statement = statement.where(Job.status == status)
    if kind:
        statement = statement.where(Job.kind == kind)
    with database.session() as session:
        rows, next_marker = visibility.page(
            session,
            statement,
            Job,
            limit,
            marker,
            visibility.visible_jobs,
            clouds,
        )
        return [describe(job) for job in rows], next_marker


#: What a job's step may be: under way (a node made, not running yet),
#: or ended.
STEP_STATES = ('running', 'succeeded', 'failed')


def list_steps(database, job_id, limit, marker=None, status=None, clouds=None):
    """``(steps, next_marker)`` of job ``job_id`` in the order they began,
    filtered by ``status``; 404 if the job is unknown (or hidden from
    ``clouds``).  A big stack's job has a step per node: this pages them,
    where :func:`get_job` answers all at once."""
    status = keyset.choice(status, STEP_STATES, 'status')
    statement = select(JobStep).where(JobStep.job_id == job_id)
    if status:
        statement = statement.where(JobStep.status == status)
    with database.session() as session:
        find_job(session, job_id, clouds)
        rows, next_marker = keyset.page(
            session, statement, JobStep, limit, marker, key=JobStep.seq
        )
        return [describe_step(step) for step in rows], next_marker


def get_job(database, job_id, clouds=None):
    """One job with its steps; 404 if unknown (or hidden from ``clouds``)."""
    with database.session() as session:
        job = find_job(session, job_id, clouds)
        steps = session.scalars(
            select(JobStep)
            .where(JobStep.job_id == job_id)
            .order_by(JobStep.seq)
        ).all()
        return describe(job, steps)


def cancel_job(database, job_id, clouds=None):
    """Ask job ``job_id`` to stop; 409 once it has finished.

    The job stops at its next step (a stack rolls back or keeps what it
    made, as its ``on_failure`` says) and ends ``cancelled``.
    """
    with database.session(write=True) as session:
        job = find_job(session, job_id, clouds)
        if job.status in FINAL_JOB_STATES:
            raise errors.Conflict(
                'job %r has already finished (%s)' % (job_id, job.status),
                code='job_finished',
            )
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(cancel_requested=True, updated_at=utcnow())
        )
    return get_job(database, job_id, clouds)


def unfinished_job_of(session, target_id):
    """The queued or running job of a target (a stack), or ``None``."""
    return session.scalars(
        select(Job)
        .where(
            Job.target_id == target_id, Job.status.in_(('queued', 'running'))
        )
        .order_by(Job.seq)
    ).first()
