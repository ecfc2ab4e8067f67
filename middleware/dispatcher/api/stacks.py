"""Multi-cloud stacks: create, list, show, scale, delete, history."""

from flask import url_for

from dispatcher.api.common import farm, limit, services
from dispatcher.api.framework import BODY, Blueprint
from dispatcher.api.jobs import requested_by
from dispatcher.api.schemas.common import (
    JOB_LOCATION,
    IdempotencyHeader,
    NoQuery,
    PageQuery,
)
from dispatcher.api.schemas.orchestration import (
    StackAnswer,
    StackEventPage,
    StackJobAnswer,
    StackPage,
    StackQuery,
)
from dispatcher.services import stacks as service
from dispatcher.services.pagination import value_of
from dispatcher.services.stack_templates import StackScale, StackTemplate

bp = Blueprint('stacks', __name__, url_prefix='/v1/stacks')


def _env():
    # The farm as the caller sees it: stacks on other clouds do not exist.
    return services().orchestration(farm())


def _job_location(body):
    job_id = value_of(body['job'], 'id')
    return {'Location': url_for('jobs.show_job', job_id=job_id)}


@bp.route('', methods=['POST'])
@bp.arguments(IdempotencyHeader, location='headers')
@bp.arguments(StackTemplate)
@bp.response(202, StackJobAnswer, headers=JOB_LOCATION)
@bp.links(
    202,
    ('stack', 'id'),
    'stack_id',
    ('stacks.show_stack', 'get'),
    ('stacks.scale_stack', 'patch'),
    ('stacks.delete_stack', 'delete'),
    ('stacks.list_stack_events', 'get'),
)
@bp.errors(409, *BODY)
def create_stack(headers, template):
    """Create a stack: nodes of several groups over one or more clouds.

    Everything is checked before any node is created (each cloud's sizes,
    images, locations and key pairs included); then the nodes are created
    in parallel across clouds, as a job.  ``Location`` is the stack's URL;
    ``job`` is the job to follow.  With an ``Idempotency-Key``, a retried
    request gets the first answer again.
    """
    result = service.create_stack(
        _env(), template, requested_by(), headers.get('key')
    )
    stack_id = value_of(result['stack'], 'id')
    return (
        result,
        202,
        {'Location': url_for('stacks.show_stack', stack_id=stack_id)},
    )


@bp.route('')
@bp.arguments(StackQuery, location='query')
@bp.response(200, StackPage)
def list_stacks(query):
    """The stacks, newest first (deleted ones only with ``status=deleted``).

    Each with its ``node_counts`` by state; the nodes themselves are in the
    answer about one stack.
    """
    stacks, next_marker = service.list_stacks(
        _env(),
        limit(query),
        query.get('marker'),
        status=query.get('status'),
        name=query.get('name'),
    )
    return {'stacks': stacks, 'next_marker': next_marker}


@bp.route('/<stack_id>')
@bp.arguments(NoQuery, location='query')
@bp.response(200, StackAnswer)
@bp.errors(404)
def show_stack(query, stack_id):
    """One stack with every node it made."""
    return {'stack': service.get_stack(_env(), stack_id)}


@bp.route('/<stack_id>', methods=['PATCH'])
@bp.body_checked_by_service(StackScale)
@bp.response(202, StackJobAnswer, headers=JOB_LOCATION)
@bp.errors(404, 409, *BODY)
def scale_stack(body, stack_id):
    """Change the number of nodes of some groups, as a job.

    Only an ``active`` or ``failed`` stack with no job under way scales;
    scaling a failed stack replaces its failed nodes.  The body is checked
    against the stack's own groups (``groups[0].name`` names a group it
    lacks), so an unknown stack is a 404 whatever the body.
    """
    result = service.scale_stack(_env(), stack_id, body, requested_by())
    return result, 202, _job_location(result)


@bp.route('/<stack_id>', methods=['DELETE'])
@bp.response(202, StackJobAnswer, headers=JOB_LOCATION)
@bp.errors(404, 409)
def delete_stack(stack_id):
    """Destroy every node the stack made, as a job.

    A node is gone only once its cloud no longer lists it: one the provider
    still lists ``DELETE_CONFIRM_SECONDS`` after accepting its destroy is
    ``delete_failed``, with the reason, and the stack ends ``failed``
    (``stack_delete_failed``); DELETE it again to retry.  Deleting a stack
    that is being deleted answers with that job again.
    """
    result = service.delete_stack(_env(), stack_id, requested_by())
    return result, 202, _job_location(result)


@bp.route('/<stack_id>/events')
@bp.arguments(PageQuery, location='query')
@bp.response(200, StackEventPage)
@bp.errors(404)
def list_stack_events(query, stack_id):
    """The history of a stack, oldest first."""
    events, next_marker = service.list_events(
        _env(), stack_id, limit(query), query.get('marker')
    )
    return {'events': events, 'next_marker': next_marker}
