"""Nodes, catalogues, key pairs and volumes of one cloud."""

from marshmallow import Schema, fields, validate

from dispatcher.api.schemas.common import (
    ErrorDetail,
    FreshStatePageQuery,
    answer_of,
    freshness_field,
    page_of,
    query_text,
    without_absent,
)
from dispatcher.services.compute import NODE_ACTIONS, NodeState, VolumeState
from dispatcher.services.schema_fields import (
    Quantity,
    Strict,
    StrictInteger,
    name_field,
    provider_id,
)


def _text(description, **kwargs):
    return fields.String(metadata={'description': description}, **kwargs)


def _maybe_text(description):
    return _text(description, required=True, allow_none=True)


def _extra():
    return fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={
            'description': "the provider's own details (JSON-safe, never a "
            'secret)'
        },
    )


class _State(fields.Enum):
    """A state, from its enum member or from its value (a stored
    document holds the value)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and not isinstance(value, self.enum):
            value = self.enum(value)
        return super()._serialize(value, attr, obj, **kwargs)


def _state(states):
    return _State(
        states,
        by_value=True,
        required=True,
        metadata={'description': 'its state'},
    )


def _ips(description):
    return fields.List(
        fields.String(), required=True, metadata={'description': description}
    )


class Node(Schema):
    """A machine."""

    id = _text("the provider's stable id", required=True)
    name = _text('its name', required=True)
    cloud = _text('the farm name of its cloud', required=True)
    state = _state(NodeState)
    public_ips = _ips('public addresses')
    private_ips = _ips('private addresses')
    size = _maybe_text('its size id, when the provider tells')
    image = _maybe_text('its image id, when the provider tells')
    created_at = _maybe_text('when it was created (ISO 8601), when known')
    actions = fields.List(
        fields.String(validate=validate.OneOf(NODE_ACTIONS)),
        required=True,
        metadata={'description': 'the actions valid in its state'},
    )
    extra = _extra()


class NodeCreate(Strict):
    """What to create."""

    EXAMPLE = {'name': 'web-1', 'size': 'small', 'image': 'img-ubuntu-24.04'}

    name = name_field(
        required=True, metadata={'description': "the node's name"}
    )
    size = provider_id(
        required=True, metadata={'description': 'a size id of this cloud'}
    )
    image = provider_id(
        required=True, metadata={'description': 'an image id of this cloud'}
    )
    location = provider_id(metadata={'description': 'a location id'})
    key_name = name_field(metadata={'description': 'a key pair to install'})


class NodeAction(Strict):
    """What to do."""

    EXAMPLE = {'action': 'reboot'}

    action = fields.String(
        required=True,
        validate=validate.OneOf(NODE_ACTIONS),
        metadata={'description': 'the action'},
    )


NodeAnswer = answer_of(Node, 'node', 'NodeAnswer', 'the node')
NodeActionAnswer = answer_of(
    Node,
    'node',
    'NodeActionAnswer',
    'the node right after the provider accepted',
    action=_text('the action accepted', required=True),
)
NodeShowAnswer = answer_of(
    Node, 'node', 'NodeShowAnswer', 'the node', freshness=freshness_field()
)
NodePage = page_of(
    Node, 'nodes', 'NodePage', 'the nodes', freshness=freshness_field()
)


class FarmNodeQuery(FreshStatePageQuery):
    """Nodes of some clouds, filtered by name and state."""

    cloud = query_text(
        metadata={'description': 'only these clouds (names, comma-separated)'}
    )


FarmNodePage = page_of(
    Node,
    'nodes',
    'FarmNodePage',
    'the nodes of every cloud asked',
    errors=fields.List(
        fields.Nested(ErrorDetail),
        required=True,
        metadata={
            'description': 'one error per cloud that could not be listed; the '
            'nodes of the others are in the page'
        },
    ),
    freshness=freshness_field(many=True),
)


class Image(Schema):
    """An image nodes boot from."""

    id = _text("the provider's id", required=True)
    name = _maybe_text('its name')
    cloud = _text('the farm name of its cloud', required=True)
    extra = _extra()


class Size(Schema):
    """A machine size."""

    id = _text("the provider's id", required=True)
    name = _maybe_text('its name')
    cloud = _text('the farm name of its cloud', required=True)
    ram = Quantity(
        required=True,
        allow_none=True,
        metadata={'description': 'memory in MB'},
    )
    disk = Quantity(
        required=True, allow_none=True, metadata={'description': 'disk in GB'}
    )
    bandwidth = Quantity(
        required=True, allow_none=True, metadata={'description': 'bandwidth'}
    )
    price = Quantity(
        required=True,
        allow_none=True,
        metadata={'description': 'hourly price'},
    )
    extra = _extra()


class Location(Schema):
    """A region or zone."""

    id = _text("the provider's id", required=True)
    name = _maybe_text('its name')
    cloud = _text('the farm name of its cloud', required=True)
    country = _maybe_text('its country')
    extra = _extra()


ImagePage = page_of(
    Image, 'images', 'ImagePage', 'the images', freshness=freshness_field()
)
SizePage = page_of(
    Size, 'sizes', 'SizePage', 'the sizes', freshness=freshness_field()
)
LocationPage = page_of(
    Location,
    'locations',
    'LocationPage',
    'the locations',
    freshness=freshness_field(),
)


class KeyPair(Schema):
    """A key pair (its public part; the private part only when made)."""

    name = _text('its name', required=True)
    cloud = _text('the farm name of its cloud', required=True)
    fingerprint = _maybe_text('its fingerprint')
    public_key = _maybe_text('its public key')
    private_key = _text(
        'the private key: only in the answer of a '
        'create that made it, never again'
    )

    _optional = without_absent('private_key')


class KeyPairCreate(Strict):
    """A key pair to create, or to import with ``public_key``."""

    EXAMPLE = {'name': 'deploy-key'}

    name = name_field(
        required=True, metadata={'description': "the key's name"}
    )
    public_key = fields.String(
        validate=validate.Length(1, 16384),
        metadata={'description': 'an OpenSSH public key to import'},
    )


KeyPairAnswer = answer_of(KeyPair, 'key_pair', 'KeyPairAnswer', 'the key pair')
KeyPairShowAnswer = answer_of(
    KeyPair,
    'key_pair',
    'KeyPairShowAnswer',
    'the key pair',
    freshness=freshness_field(),
)
KeyPairPage = page_of(
    KeyPair,
    'key_pairs',
    'KeyPairPage',
    'the key pairs',
    freshness=freshness_field(),
)


class Volume(Schema):
    """A block storage volume."""

    id = _text("the provider's id", required=True)
    name = _maybe_text('its name')
    cloud = _text('the farm name of its cloud', required=True)
    size = fields.Integer(
        required=True, allow_none=True, metadata={'description': 'size in GB'}
    )
    state = _state(VolumeState)
    node_id = _maybe_text('the node it is attached to')
    device = _maybe_text('its device on that node')
    extra = _extra()


class VolumeCreate(Strict):
    """A volume to create."""

    EXAMPLE = {'name': 'data-1', 'size': 10}

    name = name_field(
        required=True, metadata={'description': "the volume's name"}
    )
    size = StrictInteger(
        required=True,
        validate=validate.Range(1, 65536),
        metadata={'description': 'size in GB'},
    )
    location = provider_id(metadata={'description': 'a location id'})


class VolumeAttach(Strict):
    """Where to attach a volume."""

    EXAMPLE = {
        'node_id': '4b2675c6-0cb5-41cf-9928-92b55df16ba9',
        'device': '/dev/vdb',
    }

    node_id = provider_id(
        required=True, metadata={'description': 'a node of the same cloud'}
    )
    device = name_field(
        64,
        '^/dev/[a-z0-9]+$',
        'must be /dev/ and letters or digits',
        metadata={'description': 'e.g. /dev/vdb'},
    )


VolumeAnswer = answer_of(Volume, 'volume', 'VolumeAnswer', 'the volume')
VolumeShowAnswer = answer_of(
    Volume,
    'volume',
    'VolumeShowAnswer',
    'the volume',
    freshness=freshness_field(),
)
VolumePage = page_of(
    Volume, 'volumes', 'VolumePage', 'the volumes', freshness=freshness_field()
)
