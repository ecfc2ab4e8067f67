"""Long-running operations: list, show, cancel."""

import hashlib

from flask import Blueprint, current_app, g, request, url_for

from dispatcher.api.common import answer
from dispatcher.auth.scope import current_principal
from dispatcher.jobs import executor
from dispatcher.services import jobs as service
from dispatcher.services.pagination import parse_limit
from dispatcher.storage import database

bp = Blueprint('jobs', __name__, url_prefix='/v1/jobs')


def requested_by():
    """Who asked, as stored with a job or stack: the authenticated token's
    principal when there is one, else a short digest of the
    ``X-Auth-Token`` sent (never the token itself), else ``anonymous``."""
    principal = g.get('principal')
    if getattr(principal, 'token_id', None):
        return str(principal.label)[:128]
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

    **Example request**:

    .. sourcecode:: http

        GET /v1/jobs?status=succeeded&limit=1 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"jobs": [{"id": "da1ed2cd-3d30-488e-a610-592b30517862",
                   "kind": "stack.create", "status": "succeeded",
                   "progress": {"done": 2, "total": 2},
                   "target": {"type": "stack",
                              "id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34"},
                   "result": {"stack_id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34",
                              "node_states": {"running": 2}},
                   "error": null, "cancel_requested": false, "attempts": 1,
                   "requested_by": "token:3f2a9c1b7d4e",
                   "created_at": "2026-01-05T09:30:00+00:00",
                   "started_at": "2026-01-05T09:30:00+00:00",
                   "updated_at": "2026-01-05T09:30:00+00:00",
                   "finished_at": "2026-01-05T09:30:00+00:00"}],
         "next_marker": "da1ed2cd-3d30-488e-a610-592b30517862"}

    :query integer limit: page size (default 100).
    :query string marker: the job ``id`` after which the page starts.
    :query string status: only jobs in this status (``queued``,
        ``running``, ``succeeded``, ``failed``, ``cancelled``).
    :query string kind: only jobs of this kind (``stack.create``,
        ``stack.scale``, ``stack.delete``).
    :resjson array jobs: ``id``, ``kind``, ``status``, ``progress``
        (``done`` of ``total`` steps), ``target`` (``type`` and ``id``),
        ``result``, ``error`` (the error object of a failed job),
        ``cancel_requested``, ``attempts``, ``requested_by`` and times.
    :resjson string|null next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit``, ``marker``, ``status`` or ``kind``.
    """
    executor().wake()
    jobs, next_marker = service.list_jobs(
        database(), limit(), request.args.get('marker'),
        status=request.args.get('status'), kind=request.args.get('kind'),
        clouds=current_principal().clouds)
    return answer({'jobs': jobs, 'next_marker': next_marker})


@bp.route('/<job_id>')
def show_job(job_id):
    """One job, with its steps.

    **Example request**:

    .. sourcecode:: http

        GET /v1/jobs/da1ed2cd-3d30-488e-a610-592b30517862 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"job": {"id": "da1ed2cd-3d30-488e-a610-592b30517862",
                 "kind": "stack.create", "status": "running",
                 "progress": {"done": 1, "total": 2},
                 "target": {"type": "stack",
                            "id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34"},
                 "result": null, "error": null, "cancel_requested": false,
                 "attempts": 1, "requested_by": "token:3f2a9c1b7d4e",
                 "created_at": "2026-01-05T09:30:00+00:00",
                 "started_at": "2026-01-05T09:30:00+00:00",
                 "updated_at": "2026-01-05T09:30:00+00:00", "finished_at": null,
                 "steps": [{"name": "create web-front-1-d74da0",
                            "status": "succeeded",
                            "result": {"node": "web-front-1-d74da0",
                                       "cloud": "default",
                                       "provider_id": "f739c85b-0a36-4dbc-bef7-75507be1ab62",
                                       "state": "running"},
                            "error": null,
                            "updated_at": "2026-01-05T09:30:00+00:00"}]}}

    :param job_id: the job's id.
    :resjson object job: as in the list, with ``steps``: each ``name``,
        ``status`` (``running``, ``succeeded``, ``failed``), ``result``
        and ``error``.
    :status 200: the job.
    :status 404: no such job (``job_not_found``).
    """
    executor().wake()
    return answer({'job': service.get_job(database(), job_id,
                                          current_principal().clouds)})


@bp.route('/<job_id>/cancel', methods=['POST'])
def cancel_job(job_id):
    """Ask a job to stop.

    The job stops at its next step and ends ``cancelled``; a stack job
    first rolls back or keeps what it made, as the stack's ``on_failure``
    says.

    **Example request**:

    .. sourcecode:: http

        POST /v1/jobs/da1ed2cd-3d30-488e-a610-592b30517862/cancel HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 202 Accepted
        Content-Type: application/json
        Location: /v1/jobs/da1ed2cd-3d30-488e-a610-592b30517862

        {"job": {"id": "da1ed2cd-3d30-488e-a610-592b30517862",
                 "kind": "stack.create", "status": "running",
                 "progress": {"done": 1, "total": 2},
                 "target": {"type": "stack",
                            "id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34"},
                 "result": null, "error": null, "cancel_requested": true,
                 "attempts": 1, "requested_by": "token:3f2a9c1b7d4e",
                 "created_at": "2026-01-05T09:30:00+00:00",
                 "started_at": "2026-01-05T09:30:00+00:00",
                 "updated_at": "2026-01-05T09:30:00+00:00", "finished_at": null,
                 "steps": [{"name": "create web-front-1-d74da0",
                            "status": "succeeded",
                            "result": {"node": "web-front-1-d74da0",
                                       "cloud": "default",
                                       "provider_id": "f739c85b-0a36-4dbc-bef7-75507be1ab62",
                                       "state": "running"},
                            "error": null,
                            "updated_at": "2026-01-05T09:30:00+00:00"}]}}

    :param job_id: the job's id.
    :resjson object job: the job, with ``cancel_requested`` true.
    :resheader Location: the job's URL.
    :status 202: the cancellation is under way.
    :status 404: no such job (``job_not_found``).
    :status 409: the job has already finished (``job_finished``).
    """
    job = service.cancel_job(database(), job_id, current_principal().clouds)
    return answer({'job': job}, 202,
                  location=url_for('jobs.show_job', job_id=job_id))
