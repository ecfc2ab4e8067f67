"""Long-running operations: their progress, steps and outcome."""

import hashlib

from flask import g, request, url_for

from dispatcher.api.access import current_principal
from dispatcher.api.common import limit, services
from dispatcher.api.framework import Blueprint
from dispatcher.api.schemas.common import JOB_LOCATION, NoQuery
from dispatcher.api.schemas.orchestration import (
    JobAnswer,
    JobPage,
    JobQuery,
    JobStepPage,
    JobStepQuery,
)

bp = Blueprint('jobs', __name__, url_prefix='/v1/jobs')


def requested_by():
    """Who asked, as stored with a job or stack: the authenticated token's
    label, a digest of an unchecked token, or ``anonymous``."""
    principal = g.get('principal')
    if getattr(principal, 'token_id', None):
        return str(principal.label)[:128]
    token = request.headers.get('X-Auth-Token')
    if token:
        return (
            'token:%s' % hashlib.sha256(token.encode('utf-8')).hexdigest()[:12]
        )
    return 'anonymous'


@bp.route('')
@bp.arguments(JobQuery, location='query')
@bp.response(200, JobPage)
def list_jobs(query):
    """The jobs, newest first, filtered by ``status`` and ``kind``."""
    jobs, next_marker = services().list_jobs(
        limit(query),
        query.get('marker'),
        status=query.get('status'),
        kind=query.get('kind'),
        clouds=current_principal().clouds,
    )
    return {'jobs': jobs, 'next_marker': next_marker}


@bp.route('/<job_id>')
@bp.arguments(NoQuery, location='query')
@bp.response(200, JobAnswer)
@bp.errors(404)
def show_job(query, job_id):
    """One job, with its steps.

    Poll it until ``status`` is final: ``succeeded``, ``failed`` or
    ``cancelled``.
    """
    return {'job': services().get_job(job_id, current_principal().clouds)}


@bp.route('/<job_id>/steps')
@bp.arguments(JobStepQuery, location='query')
@bp.response(200, JobStepPage)
@bp.errors(404)
def list_job_steps(query, job_id):
    """The steps of a job, in the order they began, a page at a time;
    ``status=failed`` lists only the steps that failed (for a stack's
    job: the nodes that could not be made).  The answer about the job
    itself carries all of its steps at once."""
    steps, next_marker = services().list_steps(
        job_id,
        limit(query),
        query.get('marker'),
        status=query.get('status'),
        clouds=current_principal().clouds,
    )
    return {'steps': steps, 'next_marker': next_marker}


@bp.route('/<job_id>/cancel', methods=['POST'])
@bp.response(202, JobAnswer, headers=JOB_LOCATION)
@bp.errors(404, 409)
def cancel_job(job_id):
    """Ask a job to stop.

    The job stops at its next step; what it already made stays (a stack's
    job leaves the stack for a later scale or delete).  A finished job is a
    409 (``job_finished``).
    """
    job = services().cancel_job(job_id, current_principal().clouds)
    return (
        {'job': job},
        202,
        {'Location': url_for('jobs.show_job', job_id=job_id)},
    )
