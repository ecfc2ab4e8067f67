"""Long-running operations: list, show, cancel."""

import hashlib

from flask import Blueprint, current_app, g, request, url_for

from dispatcher.api.common import answer
from dispatcher.jobs import executor
from dispatcher.services import jobs as service
from dispatcher.services.pagination import parse_limit
from dispatcher.storage import database

bp = Blueprint('jobs', __name__, url_prefix='/v1/jobs')


def requested_by():
    """Who asked, as stored with a job or stack: the authenticated
    principal when there is one, else a short digest of the
    ``X-Auth-Token`` (never the token itself), else ``anonymous``."""
    principal = g.get('principal')
    label = getattr(principal, 'label', None)
    if label:
        return str(label)[:128]
    token = request.headers.get('X-Auth-Token')
    if token:
        return 'token:%s' % hashlib.sha256(
            token.encode('utf-8')).hexdigest()[:12]
    return 'anonymous'


def limit():
    """The request's ``limit`` (400 when it is not 1 to MAX_PAGE_SIZE)."""
    return parse_limit(request.args.get('limit'),
                       current_app.config['PAGE_SIZE'],
                       current_app.config['MAX_PAGE_SIZE'])


@bp.route('')
def list_jobs():
    """The jobs, newest first.

    :query limit: page size (default 100).
    :query marker: the job ``id`` after which the page starts.
    :query status: only jobs in this status (``queued``, ``running``,
        ``succeeded``, ``failed``, ``cancelled``).
    :query kind: only jobs of this kind (``stack.create``,
        ``stack.scale``, ``stack.delete``).
    :>json array jobs: ``id``, ``kind``, ``status``, ``progress``
        (``done`` of ``total`` steps), ``target`` (``type`` and ``id``),
        ``result``, ``error`` (the error object of a failed job),
        ``cancel_requested``, ``attempts``, ``requested_by`` and times.
    :>json string next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit``, ``marker``, ``status`` or ``kind``.
    """
    executor().wake()
    jobs, next_marker = service.list_jobs(
        database(), limit(), request.args.get('marker'),
        status=request.args.get('status'), kind=request.args.get('kind'))
    return answer({'jobs': jobs, 'next_marker': next_marker})


@bp.route('/<job_id>')
def show_job(job_id):
    """One job, with its steps.

    **Example answer**:

    .. sourcecode:: json

        {"job": {"id": "6f1c...", "kind": "stack.create",
                 "status": "running", "progress": {"done": 3, "total": 4},
                 "steps": [{"name": "create web-web-1-3fa2c1",
                            "status": "succeeded", "result": {...}}]}}

    :param job_id: the job's id.
    :>json object job: as in the list, with ``steps``: each ``name``,
        ``status`` (``running``, ``succeeded``, ``failed``), ``result``
        and ``error``.
    :status 200: the job.
    :status 404: no such job.
    """
    executor().wake()
    return answer({'job': service.get_job(database(), job_id)})


@bp.route('/<job_id>/cancel', methods=['POST'])
def cancel_job(job_id):
    """Ask a job to stop.

    The job stops at its next step and ends ``cancelled``; a stack job
    first rolls back or keeps what it made, as the stack's ``on_failure``
    says.

    :param job_id: the job's id.
    :>json object job: the job, with ``cancel_requested`` true.
    :status 202: the cancellation is under way.
    :status 404: no such job.
    :status 409: the job has already finished.
    """
    return answer({'job': service.cancel_job(database(), job_id)}, 202,
                  location=url_for('jobs.show_job', job_id=job_id))
