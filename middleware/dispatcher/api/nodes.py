"""Machines of one cloud."""

from flask import url_for

from dispatcher.api.common import (
    cloud,
    created,
    inventory_item,
    inventory_page,
    services,
)
from dispatcher.api.framework import BODY, PROVIDER, Blueprint
from dispatcher.api.jobs import requested_by
from dispatcher.api.schemas.common import (
    LOCATION,
    FreshQuery,
    FreshStatePageQuery,
    IdempotencyHeader,
)
from dispatcher.api.schemas.compute import (
    NodeAction,
    NodeActionAnswer,
    NodeAnswer,
    NodeCreate,
    NodePage,
    NodeShowAnswer,
)
from dispatcher.services import compute
from dispatcher.services.pagination import value_of

bp = Blueprint('nodes', __name__, url_prefix='/v1/clouds/<cloud_name>/nodes')


@bp.route('')
@bp.arguments(FreshStatePageQuery, location='query')
@bp.response(200, NodePage)
@bp.errors(404, *PROVIDER)
def list_nodes(query, cloud_name):
    """The nodes of a cloud.

    Filtered by ``name`` and ``state``, in the provider's order.
    """
    return inventory_page(cloud_name, 'nodes', query)


@bp.route('', methods=['POST'])
@bp.arguments(IdempotencyHeader, location='headers')
@bp.arguments(NodeCreate)
@bp.response(201, NodeAnswer, headers=LOCATION)
@bp.links(
    201,
    ('node', 'id'),
    'node_id',
    ('nodes.show_node', 'get'),
    ('nodes.act_on_node', 'post'),
    ('nodes.destroy_node', 'delete'),
)
@bp.errors(404, 409, *BODY, *PROVIDER)
def create_node(headers, spec, cloud_name):
    """Create a node.

    The provider accepts the node and starts it: the answer is usually still
    ``pending``; follow ``Location`` until the node is ``running``.  A size,
    image or location the cloud does not have is a 400 naming the field.
    With an ``Idempotency-Key``, a retried request gets the first answer
    again and never makes a second node.
    """
    node = services().create_node(
        cloud(cloud_name), spec, requested_by(), headers.get('key')
    )
    node_id = value_of(node, 'id')
    return created(
        {'node': node},
        url_for('nodes.show_node', cloud_name=cloud_name, node_id=node_id),
    )


@bp.route('/<node_id>')
@bp.arguments(FreshQuery, location='query')
@bp.response(200, NodeShowAnswer)
@bp.errors(404, *PROVIDER)
def show_node(query, cloud_name, node_id):
    """One node, by the provider's stable id."""
    return inventory_item(
        cloud_name,
        'nodes',
        node_id,
        query,
        live=lambda: compute.get_node(cloud(cloud_name), node_id),
    )


@bp.route('/<node_id>/action', methods=['POST'])
@bp.arguments(NodeAction)
@bp.response(202, NodeActionAnswer)
@bp.errors(404, 409, *BODY, *PROVIDER)
def act_on_node(body, cloud_name, node_id):
    """Reboot, start or stop a node.

    The provider accepts the action; the node's state follows.  A node's
    ``actions`` list the actions valid in its state; any other is a 409
    (``invalid_state``).
    """
    node = compute.act_on_node(cloud(cloud_name), node_id, body['action'])
    return {'action': body['action'], 'node': node}


@bp.route('/<node_id>', methods=['DELETE'])
@bp.response(202, NodeActionAnswer)
@bp.errors(404, *PROVIDER)
def destroy_node(cloud_name, node_id):
    """Destroy a node.

    The answer holds the node as the provider answered.  The node is gone
    (``404``) once its provider no longer lists it; until then it is
    ``deleting``, and ``delete_failed`` (the reason in ``extra``) if the
    provider still lists it ``DELETE_CONFIRM_SECONDS`` later.
    """
    node = compute.destroy_node(cloud(cloud_name), node_id)
    return {'action': 'destroy', 'node': node}
