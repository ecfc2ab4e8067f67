"""Job leases: which process runs a job, for how long without news.

A process claims a job by writing its owner name and an expiry time into
the job's row; while the job runs it renews the lease.  A lease that has
expired, or whose owner is a process of this host that no longer exists
(it was killed), lets any process claim the job again and resume it.
"""

import datetime
import os
import socket
import uuid

from sqlalchemy import select, update

from dispatcher.storage.models import FINAL_JOB_STATES, Job
from dispatcher.storage.types import utcnow

UNFINISHED = ('queued', 'running')


def new_owner():
    """A name for this process's claims: ``<host>:<pid>:<random>``."""
    return '%s:%d:%s' % (
        socket.gethostname(),
        os.getpid(),
        uuid.uuid4().hex[:8],
    )


def owner_is_dead(owner):
    """Whether ``owner`` names a process of this host that has ended."""
    try:
        host, pid, _ = owner.rsplit(':', 2)
        pid = int(pid)
    except (AttributeError, ValueError):
        return False
    if host != socket.gethostname() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _is_zombie(pid):
    try:
        with open('/proc/%d/stat' % pid) as handle:
            return handle.read().rsplit(')', 1)[1].split()[0] == 'Z'
    except (OSError, IndexError):
        return False


def _expiry(seconds, now=None):
    return (now or utcnow()) + datetime.timedelta(seconds=seconds)


def claimable(job, owner, now):
    """Whether ``owner`` may take ``job`` (a :class:`Job` row) now: it is
    unfinished and nobody (not even ``owner``) holds a live lease on it."""
    if job.status in FINAL_JOB_STATES:
        return False
    if job.lease_owner is None:
        return True
    return (
        job.lease_expires_at is None
        or job.lease_expires_at <= now
        or owner_is_dead(job.lease_owner)
    )


def claim(database, job_id, owner, seconds):
    """Take the lease of job ``job_id``; ``True`` when ``owner`` holds it.

    A claimed job is ``running``; its ``attempts`` count the claims.
    """
    now = utcnow()
    with database.session(write=True) as session:
        job = session.scalars(
            select(Job).where(Job.id == job_id).with_for_update()
        ).first()
        if job is None or not claimable(job, owner, now):
            return False
        job.lease_owner = owner
        job.lease_expires_at = _expiry(seconds, now)
        job.status = 'running'
        job.started_at = job.started_at or now
        job.attempts += 1
        job.updated_at = now
        return True


def renew(database, owner, job_ids, seconds):
    """Extend ``owner``'s leases on ``job_ids``; returns the ids still held."""
    if not job_ids:
        return set()
    with database.session(write=True) as session:
        session.execute(
            update(Job)
            .where(
                Job.id.in_(job_ids),
                Job.lease_owner == owner,
                Job.status == 'running',
            )
            .values(lease_expires_at=_expiry(seconds))
        )
        return set(
            session.scalars(
                select(Job.id).where(
                    Job.id.in_(job_ids),
                    Job.lease_owner == owner,
                    Job.status == 'running',
                )
            )
        )


def cancel_asked(database, job_ids):
    """Which of ``job_ids`` someone asked to cancel: one statement."""
    if not job_ids:
        return set()
    with database.session() as session:
        return set(
            session.scalars(
                select(Job.id).where(
                    Job.id.in_(job_ids), Job.cancel_requested.is_(True)
                )
            )
        )


def give_up(database, owner, job_id):
    """Let another process take ``job_id`` at once (this one stops)."""
    with database.session(write=True) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_owner == owner)
            .values(lease_expires_at=utcnow())
        )


def unfinished(database):
    """Ids of the queued or running jobs, oldest first."""
    with database.session() as session:
        return list(
            session.scalars(
                select(Job.id)
                .where(Job.status.in_(UNFINISHED))
                .order_by(Job.seq)
            )
        )


def recoverable(database, owner):
    """Ids of unfinished jobs that ``owner`` could claim now."""
    now = utcnow()
    with database.session() as session:
        jobs = session.scalars(
            select(Job).where(Job.status.in_(UNFINISHED)).order_by(Job.seq)
        ).all()
        return [job.id for job in jobs if claimable(job, owner, now)]


def unclaimed(database, owner, now, seconds):
    """Ids of the unfinished jobs that no worker has: running ones whose
    lease ``owner`` could take now, and queued ones waiting for more than
    ``seconds`` (their message may be lost)."""
    waited = now - datetime.timedelta(seconds=seconds)
    with database.session() as session:
        jobs = session.scalars(
            select(Job).where(Job.status.in_(UNFINISHED)).order_by(Job.seq)
        ).all()
        return [
            job.id
            for job in jobs
            if claimable(job, owner, now)
            and (job.status == 'running' or job.updated_at <= waited)
        ]
