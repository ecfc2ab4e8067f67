"""Multi-cloud stacks: create, list, show, scale, delete, history."""

from flask import Blueprint, current_app, request, url_for

from dispatcher.api.common import answer, json_body
from dispatcher.api.jobs import limit, requested_by
from dispatcher.services import stacks as service
from dispatcher.services.idempotency import HEADER

bp = Blueprint('stacks', __name__, url_prefix='/v1/stacks')

#: Bodies are checked by the stack service, which names fields the way
#: the template spells them (``groups[0].size``).
ANY_OBJECT = {'type': 'object'}


def _env():
    return service.Orchestration.from_app(current_app)


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
        Idempotency-Key: 5b0f7c1e-web-rollout

        {"name": "web", "on_failure": "rollback", "timeout": 900,
         "groups": [{"name": "front", "clouds": ["default", "sim-eu"],
                     "size": "small", "image": "img-ubuntu-24.04",
                     "count": 4},
                    {"name": "worker", "cloud": "sim-us", "size": "medium",
                     "image": "img-debian-12", "count": 2}]}

    :reqheader Idempotency-Key: optional; a retried request with the same
        key and body gets the first answer (another body: 409).
    :<json string name: the stack's name (letters, digits, ``-``; at most
        24), unique among stacks not deleted.
    :<json array groups: each ``name`` (at most 16), ``cloud`` or
        ``clouds`` (a list the nodes are spread over in turn), ``size``,
        ``image``, optional ``location`` and ``key_name``, and ``count``.
    :<json string on_failure: ``rollback`` (default: destroy what was
        made) or ``keep`` (keep it and report per node).
    :<json integer timeout: seconds until every node must be running
        (default ``STACK_TIMEOUT``).
    :>json object stack: the stack (``creating``) with its planned nodes.
    :>json object job: the ``stack.create`` job to follow.
    :resheader Location: the stack's URL.
    :status 202: accepted; the job creates the nodes.
    :status 400: a field is invalid (``field`` names it, e.g.
        ``groups[0].size``), or a cloud is unknown or unavailable.
    :status 409: a stack of that name exists, or the ``Idempotency-Key``
        was used for another request.
    :status 415: the body is not JSON.
    """
    body = json_body(ANY_OBJECT)
    status, result = service.create_stack(
        _env(), body, requested_by(), request.headers.get(HEADER))
    return answer(result, status, url_for(
        'stacks.show_stack', stack_id=result['stack']['id']))


@bp.route('')
def list_stacks():
    """The stacks, newest first (deleted ones only with
    ``status=deleted``).

    :query limit: page size (default 100).
    :query marker: the stack ``id`` after which the page starts.
    :query status: only stacks in this status (``creating``, ``active``,
        ``updating``, ``rolling_back``, ``rolled_back``, ``failed``,
        ``deleting``, ``deleted``).
    :query name: only the stack of this name.
    :>json array stacks: ``id``, ``name``, ``status``, ``groups``,
        ``on_failure``, ``timeout``, ``job_id`` (its latest job),
        ``error``, ``node_counts`` (nodes by state), ``requested_by`` and
        times.
    :>json string next_marker: marker of the next page, or null.
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

    :param stack_id: the stack's id.
    :>json object stack: as in the list, with ``nodes``: each ``id``,
        ``name`` (the name given to the provider), ``group``, ``cloud``,
        ``provider_id``, ``state`` (``planned``, ``creating``, the
        provider's state, ``failed``, ``removing``, ``destroyed``),
        ``public_ips``, ``private_ips`` and ``error``.
    :status 200: the stack.
    :status 404: no such stack.
    """
    return answer({'stack': service.get_stack(_env(), stack_id)})


@bp.route('/<stack_id>', methods=['PATCH'])
def scale_stack(stack_id):
    """Change the number of nodes of some groups, as a job.

    **Example request**:

    .. sourcecode:: json

        {"groups": [{"name": "front", "count": 6}]}

    :param stack_id: the stack's id.
    :<json array groups: each ``name`` (an existing group) and its new
        ``count``.
    :>json object stack: the stack (``updating``).
    :>json object job: the ``stack.scale`` job.
    :resheader Location: the job's URL.
    :status 202: accepted.
    :status 400: a field is invalid (``groups[0].name`` ...).
    :status 404: no such stack.
    :status 409: the stack is busy with another job, or not active.
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

    :param stack_id: the stack's id.
    :>json object stack: the stack.
    :>json object job: the ``stack.delete`` job.
    :resheader Location: the job's URL.
    :status 202: accepted (or already done).
    :status 404: no such stack.
    """
    result = service.delete_stack(_env(), stack_id, requested_by())
    return answer(result, 202, _job_location(result))


@bp.route('/<stack_id>/events')
def list_stack_events(stack_id):
    """The history of a stack, oldest first.

    :param stack_id: the stack's id.
    :query limit: page size (default 100).
    :query marker: the event ``id`` after which the page starts.
    :>json array events: ``id``, ``kind`` (``stack.creating``,
        ``node.created``, ``node.running``, ``node.failed``,
        ``node.destroyed``, ``stack.active``, ``stack.failed``,
        ``stack.rolled_back``, ``stack.deleted``, ...), ``message``,
        ``node``, ``cloud``, ``details`` and ``created_at``.
    :>json string next_marker: marker of the next page, or null.
    :status 200: the events.
    :status 400: bad ``limit`` or ``marker``.
    :status 404: no such stack.
    """
    events, next_marker = service.list_events(
        _env(), stack_id, limit(), request.args.get('marker'))
    return answer({'events': events, 'next_marker': next_marker})
