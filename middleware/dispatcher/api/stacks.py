"""Multi-cloud stacks: create, list, show, scale, delete, history."""

from flask import Blueprint, current_app, request, url_for

from dispatcher.api.common import answer, farm, json_body
from dispatcher.api.jobs import limit, requested_by
from dispatcher.services import stacks as service
from dispatcher.services.idempotency import HEADER

bp = Blueprint('stacks', __name__, url_prefix='/v1/stacks')

#: Bodies are checked by the stack service, which names fields the way
#: the template spells them (``groups[0].size``).
ANY_OBJECT = {'type': 'object'}


def _env():
    # The farm as the caller sees it: stacks on other clouds do not exist.
    return service.Orchestration.from_app(current_app)._replace(farm=farm())


def _job_location(body):
    return url_for('jobs.show_job', job_id=body['job']['id'])


@bp.route('', methods=['POST'])
def create_stack():
    """Create a stack: nodes of several groups over one or more clouds.

    Everything is checked before any node is created (each cloud's sizes,
    images, locations and key pairs included); then the nodes are created
    in parallel across clouds, as a job.

    **Example request**:

    .. sourcecode:: http

        POST /v1/stacks HTTP/1.1
        Content-Type: application/json

        {"name": "web", "on_failure": "rollback", "timeout": 900,
         "groups": [{"name": "front", "clouds": ["default", "sim-eu"],
                     "size": "small", "image": "img-ubuntu-24.04", "count": 2}]}

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 202 Accepted
        Content-Type: application/json
        Location: /v1/stacks/bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34

        {"stack": {"id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34", "name": "web",
                   "status": "creating", "on_failure": "rollback",
                   "timeout": 900,
                   "groups": [{"name": "front", "size": "small",
                               "image": "img-ubuntu-24.04", "count": 2,
                               "clouds": ["default", "sim-eu"]}],
                   "job_id": "da1ed2cd-3d30-488e-a610-592b30517862",
                   "error": null, "requested_by": "token:3f2a9c1b7d4e",
                   "created_at": "2026-01-05T09:30:00+00:00",
                   "updated_at": "2026-01-05T09:30:00+00:00",
                   "deleted_at": null,
                   "nodes": [{"id": "64fedb1b-7916-4d72-ba62-ea2c6d6b2886",
                              "name": "web-front-1-d74da0", "group": "front",
                              "index": 1, "cloud": "default",
                              "provider_id": null, "state": "planned",
                              "public_ips": [], "private_ips": [],
                              "error": null}],
                   "node_counts": {"planned": 2}},
         "job": {"id": "da1ed2cd-3d30-488e-a610-592b30517862",
                 "kind": "stack.create", "status": "queued",
                 "progress": {"done": 0, "total": 2},
                 "target": {"type": "stack",
                            "id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34"},
                 "result": null, "error": null, "cancel_requested": false,
                 "attempts": 1, "requested_by": "token:3f2a9c1b7d4e",
                 "created_at": "2026-01-05T09:30:00+00:00",
                 "started_at": "2026-01-05T09:30:00+00:00",
                 "updated_at": "2026-01-05T09:30:00+00:00", "finished_at": null}}

    :reqheader Idempotency-Key: optional; a retried request with the same
        key and body gets the first answer (another body: 409).
    :reqjson string name: the stack's name (letters, digits, ``-``; at most
        24), unique among stacks not deleted.
    :reqjson array groups: each ``name`` (at most 16), ``cloud`` or
        ``clouds`` (a list the nodes are spread over in turn), ``size``,
        ``image``, optional ``location`` and ``key_name``, and ``count``.
    :reqjson string on_failure: ``rollback`` (default: destroy what was
        made) or ``keep`` (keep it and report per node).
    :reqjson integer timeout: seconds until every node must be running
        (default ``STACK_TIMEOUT``).
    :resjson object stack: the stack (``creating``) with its planned nodes.
    :resjson object job: the ``stack.create`` job to follow.
    :resheader Location: the stack's URL.
    :status 202: accepted; the job creates the nodes.
    :status 400: a field is invalid (``field`` names it, e.g.
        ``groups[0].size``), or a cloud is unknown or unavailable.
    :status 409: a stack of that name exists, or the ``Idempotency-Key``
        was used for another request.
    :status 413: the body is too large.
    :status 415: the body is not JSON.
    """
    body = json_body(ANY_OBJECT)
    status, result = service.create_stack(
        _env(), body, requested_by(), request.headers.get(HEADER))
    return answer(result, status, url_for(
        'stacks.show_stack', stack_id=result['stack']['id']))


@bp.route('')
def list_stacks():
    """The stacks, newest first (deleted ones only with ``status=deleted``).

    **Example request**:

    .. sourcecode:: http

        GET /v1/stacks?status=active HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"stacks": [{"id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34",
                     "name": "web", "status": "active",
                     "on_failure": "rollback", "timeout": 900,
                     "groups": [{"name": "front", "size": "small",
                                 "image": "img-ubuntu-24.04", "count": 2,
                                 "clouds": ["default", "sim-eu"]}],
                     "job_id": "da1ed2cd-3d30-488e-a610-592b30517862",
                     "error": null, "requested_by": "token:3f2a9c1b7d4e",
                     "created_at": "2026-01-05T09:30:00+00:00",
                     "updated_at": "2026-01-05T09:30:00+00:00",
                     "deleted_at": null, "node_counts": {"running": 2}}],
         "next_marker": null}

    :query integer limit: page size (default 100).
    :query string marker: the stack ``id`` after which the page starts.
    :query string status: only stacks in this status (``creating``,
        ``active``, ``updating``, ``rolling_back``, ``rolled_back``,
        ``failed``, ``deleting``, ``deleted``).
    :query string name: only the stack of this name.
    :resjson array stacks: ``id``, ``name``, ``status``, ``groups``,
        ``on_failure``, ``timeout``, ``job_id`` (its latest job),
        ``error``, ``node_counts`` (nodes by state), ``requested_by`` and
        times.
    :resjson string|null next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit``, ``marker`` or ``status``.
    """
    stacks, next_marker = service.list_stacks(
        _env(), limit(), request.args.get('marker'),
        status=request.args.get('status'), name=request.args.get('name'))
    return answer({'stacks': stacks, 'next_marker': next_marker})


@bp.route('/<stack_id>')
def show_stack(stack_id):
    """One stack with every node it made.

    **Example request**:

    .. sourcecode:: http

        GET /v1/stacks/bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"stack": {"id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34", "name": "web",
                   "status": "active", "on_failure": "rollback", "timeout": 900,
                   "groups": [{"name": "front", "size": "small",
                               "image": "img-ubuntu-24.04", "count": 2,
                               "clouds": ["default", "sim-eu"]}],
                   "job_id": "da1ed2cd-3d30-488e-a610-592b30517862",
                   "error": null, "requested_by": "token:3f2a9c1b7d4e",
                   "created_at": "2026-01-05T09:30:00+00:00",
                   "updated_at": "2026-01-05T09:30:00+00:00",
                   "deleted_at": null,
                   "nodes": [{"id": "64fedb1b-7916-4d72-ba62-ea2c6d6b2886",
                              "name": "web-front-1-d74da0", "group": "front",
                              "index": 1, "cloud": "default",
                              "provider_id": "f739c85b-0a36-4dbc-bef7-75507be1ab62",
                              "state": "running", "public_ips": ["203.0.113.1"],
                              "private_ips": ["10.0.0.1"], "error": null}],
                   "node_counts": {"running": 2}}}

    :param stack_id: the stack's id.
    :resjson object stack: as in the list, with ``nodes``: each ``id``,
        ``name`` (the name given to the provider), ``group``, ``cloud``,
        ``provider_id``, ``state`` (``planned``, ``creating``, the
        provider's state, ``failed``, ``removing``, ``destroyed``),
        ``public_ips``, ``private_ips`` and ``error``.
    :status 200: the stack.
    :status 404: no such stack (``stack_not_found``).
    """
    return answer({'stack': service.get_stack(_env(), stack_id)})


@bp.route('/<stack_id>', methods=['PATCH'])
def scale_stack(stack_id):
    """Change the number of nodes of some groups, as a job.

    Scaling down removes the newest nodes first; a group's failed nodes
    are always replaced (or removed), so scaling a failed stack to the same
    counts repairs it.

    **Example request**:

    .. sourcecode:: http

        PATCH /v1/stacks/bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34 HTTP/1.1
        Content-Type: application/json

        {"groups": [{"name": "front", "count": 3}]}

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 202 Accepted
        Content-Type: application/json
        Location: /v1/jobs/da1ed2cd-3d30-488e-a610-592b30517862

        {"stack": {"id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34", "name": "web",
                   "status": "updating", "on_failure": "rollback",
                   "timeout": 900,
                   "groups": [{"name": "front", "size": "small",
                               "image": "img-ubuntu-24.04", "count": 3,
                               "clouds": ["default", "sim-eu"]}],
                   "job_id": "da1ed2cd-3d30-488e-a610-592b30517862",
                   "error": null, "requested_by": "token:3f2a9c1b7d4e",
                   "created_at": "2026-01-05T09:30:00+00:00",
                   "updated_at": "2026-01-05T09:30:00+00:00",
                   "deleted_at": null, "node_counts": {"planned": 2}},
         "job": {"id": "da1ed2cd-3d30-488e-a610-592b30517862",
                 "kind": "stack.scale", "status": "queued",
                 "progress": {"done": 0, "total": 1},
                 "target": {"type": "stack",
                            "id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34"},
                 "result": null, "error": null, "cancel_requested": false,
                 "attempts": 1, "requested_by": "token:3f2a9c1b7d4e",
                 "created_at": "2026-01-05T09:30:00+00:00",
                 "started_at": "2026-01-05T09:30:00+00:00",
                 "updated_at": "2026-01-05T09:30:00+00:00", "finished_at": null}}

    :param stack_id: the stack's id.
    :reqjson array groups: each ``name`` (an existing group) and its new
        ``count``.
    :resjson object stack: the stack (``updating``).
    :resjson object job: the ``stack.scale`` job.
    :resheader Location: the job's URL.
    :status 202: accepted.
    :status 400: a field is invalid (``groups[0].name`` ...).
    :status 404: no such stack (``stack_not_found``).
    :status 409: the stack is busy with another job, or not active.
    :status 413: the body is too large.
    :status 415: the body is not JSON.
    """
    body = json_body(ANY_OBJECT)
    result = service.scale_stack(_env(), stack_id, body, requested_by())
    return answer(result, 202, _job_location(result))


@bp.route('/<stack_id>', methods=['DELETE'])
def delete_stack(stack_id):
    """Destroy every node the stack made, as a job.

    Idempotent: a stack already deleted (or being deleted) answers with its
    delete job.  A node already gone at the provider is not an error.  A
    job still running on the stack is asked to cancel first.

    **Example request**:

    .. sourcecode:: http

        DELETE /v1/stacks/bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 202 Accepted
        Content-Type: application/json
        Location: /v1/jobs/da1ed2cd-3d30-488e-a610-592b30517862

        {"stack": {"id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34", "name": "web",
                   "status": "active", "on_failure": "rollback", "timeout": 900,
                   "groups": [{"name": "front", "size": "small",
                               "image": "img-ubuntu-24.04", "count": 2,
                               "clouds": ["default", "sim-eu"]}],
                   "job_id": "da1ed2cd-3d30-488e-a610-592b30517862",
                   "error": null, "requested_by": "token:3f2a9c1b7d4e",
                   "created_at": "2026-01-05T09:30:00+00:00",
                   "updated_at": "2026-01-05T09:30:00+00:00",
                   "deleted_at": null, "node_counts": {"running": 2}},
         "job": {"id": "da1ed2cd-3d30-488e-a610-592b30517862",
                 "kind": "stack.delete", "status": "queued",
                 "progress": {"done": 0, "total": 2},
                 "target": {"type": "stack",
                            "id": "bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34"},
                 "result": null, "error": null, "cancel_requested": false,
                 "attempts": 1, "requested_by": "token:3f2a9c1b7d4e",
                 "created_at": "2026-01-05T09:30:00+00:00",
                 "started_at": "2026-01-05T09:30:00+00:00",
                 "updated_at": "2026-01-05T09:30:00+00:00", "finished_at": null}}

    :param stack_id: the stack's id.
    :resjson object stack: the stack.
    :resjson object job: the ``stack.delete`` job.
    :resheader Location: the job's URL.
    :status 202: accepted (or already done).
    :status 404: no such stack (``stack_not_found``).
    """
    result = service.delete_stack(_env(), stack_id, requested_by())
    return answer(result, 202, _job_location(result))


@bp.route('/<stack_id>/events')
def list_stack_events(stack_id):
    """The history of a stack, oldest first.

    **Example request**:

    .. sourcecode:: http

        GET /v1/stacks/bc3ab71f-ce1a-4fbd-bcb0-bf92ed454a34/events?limit=2 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"events": [{"id": "1", "kind": "stack.creating",
                     "message": "stack web asked for: 2 nodes", "node": null,
                     "cloud": null, "details": null,
                     "created_at": "2026-01-05T09:30:00+00:00"},
                    {"id": "2", "kind": "node.created",
                     "message": "node web-front-1-d74da0 created on default as f739c85b-0a36-4dbc-bef7-75507be1ab62",
                     "node": "web-front-1-d74da0", "cloud": "default",
                     "details": null, "created_at": "2026-01-05T09:30:00+00:00"}],
         "next_marker": "2"}

    :param stack_id: the stack's id.
    :query integer limit: page size (default 100).
    :query string marker: the event ``id`` after which the page starts.
    :resjson array events: ``id``, ``kind`` (``stack.creating``,
        ``node.created``, ``node.running``, ``node.failed``,
        ``node.destroyed``, ``stack.active``, ``stack.failed``,
        ``stack.rolled_back``, ``stack.deleted``, ...), ``message``,
        ``node``, ``cloud``, ``details`` and ``created_at``.
    :resjson string|null next_marker: marker of the next page, or null.
    :status 200: the events.
    :status 400: bad ``limit`` or ``marker``.
    :status 404: no such stack (``stack_not_found``).
    """
    events, next_marker = service.list_events(
        _env(), stack_id, limit(), request.args.get('marker'))
    return answer({'events': events, 'next_marker': next_marker})
