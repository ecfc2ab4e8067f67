"""Nodes of one cloud: list, show, create, act on, destroy."""

import dataclasses

from dispatcher import errors
from dispatcher.lib.cloud_factory import values

#: The actions a node takes, and the states nodes and volumes are in.
ACTIONS = NODE_ACTIONS = tuple(sorted(values.ACTION_OPERATIONS))
NodeState = values.NodeState
VolumeState = values.VolumeState


def list_nodes(cloud):
    """Every node of ``cloud``, in the provider's order."""
    return cloud.call('list_nodes')


def get_node(cloud, node_id):
    """One node, 404 when the cloud has no node with that id."""
    return cloud.call('get_node', node_id)


def create_node(cloud, spec):
    """Create a node from a validated request body; returns the node."""
    return cloud.call(
        'create_node',
        spec['name'],
        spec['size'],
        spec['image'],
        location=spec.get('location'),
        key_name=spec.get('key_name'),
    )


def act_on_node(cloud, node_id, action):
    """Reboot, start or stop a node; 409 when its state forbids it.

    Returns the node as it is right after the provider accepted.
    """
    operation = values.ACTION_OPERATIONS[action]
    cloud.require(operation)
    node = get_node(cloud, node_id)
    if action not in node.actions:
        raise errors.Conflict(
            'cannot %s node %r in state %r; valid actions: %s'
            % (
                action,
                node_id,
                node.state.value,
                ', '.join(node.actions) or 'none',
            ),
            code='invalid_state',
            cloud=cloud.name,
        )
    cloud.call(operation, node_id)
    return _refreshed(cloud, node)


def destroy_node(cloud, node_id):
    """Destroy a node; returns it as last seen."""
    cloud.require('destroy_node')
    node = get_node(cloud, node_id)
    cloud.call('destroy_node', node_id)
    return _refreshed(cloud, node)


def _refreshed(cloud, node):
    try:
        return get_node(cloud, node.id)
    except errors.NotFound:
        return dataclasses.replace(
            node, state=values.NodeState.TERMINATED, actions=[]
        )


def node_from_document(document):
    """The :class:`~dispatcher.lib.cloud_factory.values.Node` a stored
    document describes."""
    return values.Node(**dict(document, state=NodeState(document['state'])))
