"""Nodes of one cloud: list, show, create, act on, destroy."""

from dispatcher.lib.cloud_factory import values

#: The actions a node takes, and the states nodes and volumes are in.
ACTIONS = NODE_ACTIONS = tuple(sorted(values.ACTION_OPERATIONS))
NodeState = values.NodeState
VolumeState = values.VolumeState


def get_node(cloud, node_id):
    """One node, 404 when the cloud has no node with that id."""
    return cloud.get_node(node_id)


def create_node(cloud, spec, known=None):
    """Create a node from a validated request body; returns the node.

    :param known: the documents of its size, image and location as the
        inventory has them (``{'size': {...}, ...}``): the driver need not
        ask the provider for them.
    """
    return cloud.create_node(
        values.NodeSpec(
            name=spec['name'],
            size=spec['size'],
            image=spec['image'],
            location=spec.get('location'),
            key_name=spec.get('key_name'),
            known=known or {},
        )
    )


def act_on_node(cloud, node_id, action):
    """Reboot, start or stop a node; 409 when its state forbids it.

    Returns the node as it is right after the provider accepted.
    """
    return cloud.act_on_node(node_id, action)


def destroy_node(cloud, node_id):
    """Destroy a node; returns it as last seen."""
    return cloud.destroy_node(node_id)


def node_from_document(document):
    """The :class:`~dispatcher.lib.cloud_factory.values.Node` a stored
    document describes."""
    return values.Node(**dict(document, state=NodeState(document['state'])))
