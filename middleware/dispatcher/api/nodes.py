"""Machines of one cloud."""

from flask import Blueprint, url_for

from dispatcher.api import schemas
from dispatcher.api.common import answer, cloud, json_body, list_answer
from dispatcher.services import compute

bp = Blueprint('nodes', __name__, url_prefix='/v1/clouds/<cloud_name>/nodes')


@bp.route('')
def list_nodes(cloud_name):
    """The nodes of a cloud.

    :param cloud_name: the farm name.
    :query limit: page size (default 100).
    :query marker: the node ``id`` after which the page starts.
    :query state: only nodes in this state (``running``, ``pending``, ...).
    :query name: only nodes of this name.
    :>json array nodes: nodes: ``id`` (the provider's stable id), ``name``,
        ``cloud``, ``state``, ``public_ips``, ``private_ips``, ``size``,
        ``image``, ``created_at``, ``actions`` (valid in this state),
        ``extra``.
    :>json string next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 404: no cloud of that name.
    :status 501: the cloud cannot list nodes.
    :status 502: the provider failed.
    :status 503: the cloud is unreachable.
    :status 504: the provider timed out.
    """
    return list_answer('nodes', compute.list_nodes(cloud(cloud_name)),
                       filters=('name', 'state'))


@bp.route('', methods=['POST'])
def create_node(cloud_name):
    """Create a node.

    **Example request**:

    .. sourcecode:: http

        POST /v1/clouds/default/nodes HTTP/1.1
        Content-Type: application/json

        {"name": "web-1", "size": "small", "image": "img-ubuntu-24.04"}

    :param cloud_name: the farm name.
    :<json string name: the node's name (letters, digits, ``.``, ``_``,
        ``-``; at most 64).
    :<json string size: a size id of this cloud.
    :<json string image: an image id of this cloud.
    :<json string location: a location id (optional).
    :<json string key_name: a key pair to install (optional).
    :>json object node: the new node, usually still ``pending``.
    :resheader Location: the node's URL.
    :status 201: created.
    :status 400: a field is missing or invalid (``field`` names it).
    :status 404: no cloud of that name.
    :status 415: the body is not JSON.
    :status 501: the cloud cannot create nodes.
    """
    target = cloud(cloud_name)
    spec = json_body(schemas.NODE_CREATE)
    node = compute.create_node(target, spec)
    return answer({'node': node}, 201, url_for(
        'nodes.show_node', cloud_name=cloud_name, node_id=node['id']))


@bp.route('/<node_id>')
def show_node(cloud_name, node_id):
    """One node.

    :param cloud_name: the farm name.
    :param node_id: the provider's stable id of the node.
    :>json object node: the node.
    :status 200: the node.
    :status 404: no such cloud or node.
    """
    return answer({'node': compute.get_node(cloud(cloud_name), node_id)})


@bp.route('/<node_id>/action', methods=['POST'])
def act_on_node(cloud_name, node_id):
    """Reboot, start or stop a node.

    The provider accepts the action; the node's state follows.

    :param cloud_name: the farm name.
    :param node_id: the provider's stable id of the node.
    :<json string action: ``reboot``, ``start`` or ``stop``.
    :>json string action: the action accepted.
    :>json object node: the node right after the provider accepted.
    :status 202: accepted.
    :status 400: unknown action.
    :status 404: no such cloud or node.
    :status 409: the action is not valid in the node's state.
    :status 501: the cloud cannot do this action.
    """
    action = json_body(schemas.NODE_ACTION)['action']
    node = compute.act_on_node(cloud(cloud_name), node_id, action)
    return answer({'action': action, 'node': node}, 202)


@bp.route('/<node_id>', methods=['DELETE'])
def destroy_node(cloud_name, node_id):
    """Destroy a node.

    :param cloud_name: the farm name.
    :param node_id: the provider's stable id of the node.
    :>json string action: ``destroy``.
    :>json object node: the node as last seen.
    :status 202: accepted.
    :status 404: no such cloud or node.
    :status 501: the cloud cannot destroy nodes.
    """
    node = compute.destroy_node(cloud(cloud_name), node_id)
    return answer({'action': 'destroy', 'node': node}, 202)
