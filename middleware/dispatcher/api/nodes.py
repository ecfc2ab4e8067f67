"""Machines of one cloud."""

from flask import Blueprint, url_for

from dispatcher.api import schemas
from dispatcher.api.common import answer, cloud, json_body, list_answer
from dispatcher.services import compute

bp = Blueprint('nodes', __name__, url_prefix='/v1/clouds/<cloud_name>/nodes')


@bp.route('')
def list_nodes(cloud_name):
    """The nodes of a cloud.

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds/default/nodes?state=running HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"nodes": [{"id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9",
                    "name": "web-1", "cloud": "default", "state": "running",
                    "public_ips": ["203.0.113.1"], "private_ips": ["10.0.0.1"],
                    "size": "small", "image": "img-ubuntu-24.04",
                    "created_at": "2026-01-05T09:30:00+00:00",
                    "actions": ["reboot", "stop"],
                    "extra": {"location_id": "sim-east-1a", "key_name": null}}],
         "next_marker": null}

    :param cloud_name: the farm name.
    :query integer limit: page size (default 100).
    :query string marker: the ``id`` after which the page starts.
    :query string state: only nodes in this state (``running``,
        ``pending``, ``stopped``, ...).
    :query string name: only nodes of this name.
    :resjson array nodes: ``id`` (the provider's stable id), ``name``,
        ``cloud``, ``state``, ``public_ips``, ``private_ips``, ``size``,
        ``image``, ``created_at``, ``actions`` (valid in this state),
        ``extra``.
    :resjson string|null next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit`` or ``marker`` (``field`` names it).
    :status 404: no cloud of that name (``cloud_not_found``).
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    return list_answer('nodes', compute.list_nodes(cloud(cloud_name)),
                       filters=('name', 'state'))


@bp.route('', methods=['POST'])
def create_node(cloud_name):
    """Create a node.

    The provider accepts the node and starts it: the answer is usually still
    ``pending``; follow ``Location`` until the node is ``running``.

    **Example request**:

    .. sourcecode:: http

        POST /v1/clouds/default/nodes HTTP/1.1
        Content-Type: application/json

        {"name": "web-1", "size": "small", "image": "img-ubuntu-24.04"}

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 201 Created
        Content-Type: application/json
        Location: /v1/clouds/default/nodes/4b2675c6-0cb5-41cf-9928-92b55df16ba9

        {"node": {"id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9", "name": "web-1",
                  "cloud": "default", "state": "pending",
                  "public_ips": ["203.0.113.1"], "private_ips": ["10.0.0.1"],
                  "size": "small", "image": "img-ubuntu-24.04",
                  "created_at": "2026-01-05T09:30:00+00:00", "actions": [],
                  "extra": {"location_id": "sim-east-1a", "key_name": null}}}

    :param cloud_name: the farm name.
    :reqjson string name: the node's name (letters, digits, ``.``, ``_``,
        ``-``; at most 64).
    :reqjson string size: a size id of this cloud.
    :reqjson string image: an image id of this cloud.
    :reqjson string location: a location id (optional).
    :reqjson string key_name: a key pair to install (optional).
    :resjson object node: the new node, usually still ``pending``.
    :resheader Location: the node's URL.
    :status 201: created.
    :status 400: a field is missing or invalid, or names no size, image or
        location of this cloud (``field`` names it).
    :status 404: no cloud of that name (``cloud_not_found``).
    :status 409: the provider refused: the request conflicts with the
        cloud's state (``provider_conflict``).
    :status 413: the body is too large.
    :status 415: the body is not JSON.
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    target = cloud(cloud_name)
    spec = json_body(schemas.NODE_CREATE)
    node = compute.create_node(target, spec)
    return answer({'node': node}, 201, url_for(
        'nodes.show_node', cloud_name=cloud_name, node_id=node['id']))


@bp.route('/<node_id>')
def show_node(cloud_name, node_id):
    """One node.

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds/default/nodes/4b2675c6-0cb5-41cf-9928-92b55df16ba9 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"node": {"id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9", "name": "web-1",
                  "cloud": "default", "state": "running",
                  "public_ips": ["203.0.113.1"], "private_ips": ["10.0.0.1"],
                  "size": "small", "image": "img-ubuntu-24.04",
                  "created_at": "2026-01-05T09:30:00+00:00",
                  "actions": ["reboot", "stop"],
                  "extra": {"location_id": "sim-east-1a", "key_name": null}}}

    :param cloud_name: the farm name.
    :param node_id: the provider's stable id of the node.
    :resjson object node: the node.
    :status 200: the node.
    :status 404: no such cloud or node (``cloud_not_found``,
        ``node_not_found``).
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    return answer({'node': compute.get_node(cloud(cloud_name), node_id)})


@bp.route('/<node_id>/action', methods=['POST'])
def act_on_node(cloud_name, node_id):
    """Reboot, start or stop a node.

    The provider accepts the action; the node's state follows.  A node's
    ``actions`` list the actions valid in its state.

    **Example request**:

    .. sourcecode:: http

        POST /v1/clouds/default/nodes/4b2675c6-0cb5-41cf-9928-92b55df16ba9/action HTTP/1.1
        Content-Type: application/json

        {"action": "reboot"}

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 202 Accepted
        Content-Type: application/json

        {"action": "reboot",
         "node": {"id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9", "name": "web-1",
                  "cloud": "default", "state": "rebooting",
                  "public_ips": ["203.0.113.1"], "private_ips": ["10.0.0.1"],
                  "size": "small", "image": "img-ubuntu-24.04",
                  "created_at": "2026-01-05T09:30:00+00:00", "actions": [],
                  "extra": {"location_id": "sim-east-1a", "key_name": null}}}

    :param cloud_name: the farm name.
    :param node_id: the provider's stable id of the node.
    :reqjson string action: ``reboot``, ``start`` or ``stop``.
    :resjson string action: the action accepted.
    :resjson object node: the node right after the provider accepted.
    :status 202: accepted.
    :status 400: unknown action, or a bad body (``field`` names it).
    :status 404: no such cloud or node.
    :status 409: the action is not valid in the node's state
        (``invalid_state``).
    :status 413: the body is too large.
    :status 415: the body is not JSON.
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    action = json_body(schemas.NODE_ACTION)['action']
    node = compute.act_on_node(cloud(cloud_name), node_id, action)
    return answer({'action': action, 'node': node}, 202)


@bp.route('/<node_id>', methods=['DELETE'])
def destroy_node(cloud_name, node_id):
    """Destroy a node.

    **Example request**:

    .. sourcecode:: http

        DELETE /v1/clouds/default/nodes/4b2675c6-0cb5-41cf-9928-92b55df16ba9 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 202 Accepted
        Content-Type: application/json

        {"action": "destroy",
         "node": {"id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9", "name": "web-1",
                  "cloud": "default", "state": "terminated",
                  "public_ips": ["203.0.113.1"], "private_ips": ["10.0.0.1"],
                  "size": "small", "image": "img-ubuntu-24.04",
                  "created_at": "2026-01-05T09:30:00+00:00", "actions": [],
                  "extra": {"location_id": "sim-east-1a", "key_name": null}}}

    :param cloud_name: the farm name.
    :param node_id: the provider's stable id of the node.
    :resjson string action: ``destroy``.
    :resjson object node: the node as last seen (``terminated`` once gone).
    :status 202: accepted.
    :status 404: no such cloud or node.
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    node = compute.destroy_node(cloud(cloud_name), node_id)
    return answer({'action': 'destroy', 'node': node}, 202)
