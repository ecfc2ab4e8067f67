"""The service's own value objects, converted from libcloud's.

The API never shows libcloud objects or integer states: each resource is a
dataclass built here (:class:`Node`, :class:`Image`, :class:`Size`,
:class:`Location`, :class:`KeyPair`, :class:`Volume`), with its state an
enum of strings and only JSON-safe ``extra`` values.  Anything in a
provider's ``extra`` whose key looks like a secret is dropped on the way.
"""

import dataclasses
import datetime
import enum
import functools
from typing import Optional

from libcloud.compute import types as libcloud_types
from libcloud.compute.base import NodeImage, NodeLocation, NodeSize

#: The states of a node, as the API names them (libcloud's, in lower case).
#: The service's own states of a resource it was asked to delete: the
#: provider accepted the deletion and still lists it (``deleting``), or
#: still lists it ``DELETE_CONFIRM_SECONDS`` later (``delete_failed``).
DELETE_STATES = {'DELETING': 'deleting', 'DELETE_FAILED': 'delete_failed'}

NodeState = enum.StrEnum(
    'NodeState',
    dict(
        {
            state.name: state.value.lower()
            for state in libcloud_types.NodeState
        },
        **DELETE_STATES,
    ),
)

#: The states of a volume.
VolumeState = enum.StrEnum(
    'VolumeState',
    dict(
        {
            state.name: state.value.lower()
            for state in libcloud_types.StorageVolumeState
        },
        **DELETE_STATES,
    ),
)

#: Every state a node may be in, and every state of a volume.
NODE_STATES = tuple(state.value for state in NodeState)

#: States a node or volume leaves by itself soon (it boots, reboots, stops,
#: goes away): the inventory asks the provider for such an item when it is
#: shown, rather than answer its last state.
UNSETTLED_STATES = frozenset(
    {
        'pending',
        'starting',
        'rebooting',
        'stopping',
        'terminated',
        'reconfiguring',
        'migrating',
        'updating',
        'unknown',
        'creating',
        'attaching',
        'deleting',
        'deleted',
        'backup',
    }
)
VOLUME_STATES = tuple(state.value for state in VolumeState)

#: Which node actions each node state allows (intersected with the cloud's
#: capabilities before it is published).
ACTIONS_BY_STATE = {
    NodeState.RUNNING: ('reboot', 'stop'),
    NodeState.STOPPED: ('start',),
    NodeState.SUSPENDED: ('start',),
    NodeState.PAUSED: ('start',),
}

ACTION_OPERATIONS = {
    'reboot': 'reboot_node',
    'start': 'start_node',
    'stop': 'stop_node',
}


@dataclasses.dataclass
class Node:
    """A machine of a cloud."""

    id: str
    name: str
    cloud: str
    state: NodeState
    public_ips: list
    private_ips: list
    size: Optional[str]
    image: Optional[str]
    created_at: Optional[str]
    #: The actions valid in its state on its cloud.
    actions: list
    extra: dict


@dataclasses.dataclass
class Image:
    """An image nodes boot from."""

    id: str
    name: Optional[str]
    cloud: str
    extra: dict


@dataclasses.dataclass
class Size:
    """A machine size."""

    id: str
    name: Optional[str]
    cloud: str
    ram: Optional[float]
    disk: Optional[float]
    bandwidth: Optional[float]
    price: Optional[float]
    extra: dict


@dataclasses.dataclass
class Location:
    """A region or zone."""

    id: str
    name: Optional[str]
    cloud: str
    country: Optional[str]
    extra: dict


@dataclasses.dataclass
class KeyPair:
    """A key pair: its public part, and its private part only in the
    answer of the create that made it."""

    name: str
    cloud: str
    fingerprint: Optional[str]
    public_key: Optional[str]
    private_key: Optional[str] = None


@dataclasses.dataclass
class Volume:
    """A block storage volume."""

    id: str
    name: Optional[str]
    cloud: str
    size: Optional[int]
    state: VolumeState
    node_id: Optional[str]
    device: Optional[str]
    extra: dict


@dataclasses.dataclass(frozen=True)
class NodeSpec:
    """What a new node is made of: catalogue ids, as the request gave them."""

    name: str
    size: str
    image: str
    location: Optional[str] = None
    key_name: Optional[str] = None
    #: The inventory's documents of ``size``, ``image`` and ``location``
    #: (by those names), when it holds them: the driver then need not list
    #: them at the provider to find them.
    known: dict = dataclasses.field(default_factory=dict, compare=False)


@dataclasses.dataclass(frozen=True)
class VolumeSpec:
    """What a new volume is: its name, size in GB and location id."""

    name: str
    size: int
    location: Optional[str] = None


#: The state a node enters when the provider accepts an action, where
#: the provider's answer does not say.
ACTION_STATES = {
    'reboot': NodeState.REBOOTING,
    'start': NodeState.PENDING,
    'stop': NodeState.STOPPING,
}


_SECRET_HINTS = ('pass', 'secret', 'token', 'private', 'credential', 'auth')
_SCALARS = (str, int, float, bool, type(None))


def state_name(state, states=NodeState):
    """A libcloud state (enum, string or legacy integer) as one of
    ``states``; ``unknown`` when it is none of them."""
    value = getattr(state, 'value', state)
    if isinstance(value, str):
        try:
            return states(value.lower())
        except ValueError:
            pass
    return states('unknown')


@functools.lru_cache(maxsize=1024)
def _looks_secret(key):
    lowered = key.lower()
    return any(hint in lowered for hint in _SECRET_HINTS)


def _json_safe(value):
    if isinstance(value, _SCALARS):
        return True
    if isinstance(value, (list, tuple)):
        return len(value) <= 50 and all(isinstance(v, _SCALARS) for v in value)
    return False


def safe_extra(extra):
    """The JSON-safe, secret-free part of a libcloud ``extra`` dict."""
    result = {}
    for key, value in (extra or {}).items():
        key = str(key)
        if _looks_secret(key):
            continue
        if isinstance(value, (datetime.datetime, datetime.date)):
            value = value.isoformat()
        if _json_safe(value):
            result[key] = list(value) if isinstance(value, tuple) else value
    return result


def _ref(value):
    """An id from a libcloud object, a dict or a plain string."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get('id') or value.get('name')
    return getattr(value, 'id', value) if not isinstance(value, str) else value


def node_actions(state, operations):
    """Actions valid for a node in ``state`` on a cloud with ``operations``."""
    return [
        action
        for action in ACTIONS_BY_STATE.get(state, ())
        if ACTION_OPERATIONS[action] in operations
    ]


def to_node(node, node_id, cloud, operations):
    """A libcloud ``Node`` as the API's :class:`Node`."""
    state = state_name(node.state)
    extra = safe_extra(node.extra)
    created = getattr(node, 'created_at', None)
    return Node(
        id=str(node_id),
        name=node.name,
        cloud=cloud,
        state=state,
        public_ips=[str(ip) for ip in (node.public_ips or [])],
        private_ips=[str(ip) for ip in (node.private_ips or [])],
        size=_ref(
            getattr(node, 'size', None)
            or extra.get('size_id')
            or extra.get('instance_type')
            or extra.get('flavorId')
        ),
        image=_ref(
            getattr(node, 'image', None)
            or extra.get('image_id')
            or extra.get('imageId')
        ),
        created_at=(
            created.isoformat() if created else extra.get('created_at')
        ),
        actions=node_actions(state, operations),
        extra=extra,
    )


def to_image(image, cloud):
    """A libcloud ``NodeImage`` as the API's :class:`Image`."""
    return Image(
        id=str(image.id),
        name=image.name,
        cloud=cloud,
        extra=safe_extra(image.extra),
    )


def to_size(size, cloud):
    """A libcloud ``NodeSize`` as the API's :class:`Size`."""
    return Size(
        id=str(size.id),
        name=size.name,
        cloud=cloud,
        ram=size.ram,
        disk=size.disk,
        bandwidth=size.bandwidth,
        price=size.price,
        extra=safe_extra(size.extra),
    )


def to_location(location, cloud):
    """A libcloud ``NodeLocation`` as the API's :class:`Location`."""
    return Location(
        id=str(location.id),
        name=location.name,
        cloud=cloud,
        country=location.country,
        extra=safe_extra(getattr(location, 'extra', None)),
    )


def libcloud_image(document, driver):
    """The libcloud ``NodeImage`` an :class:`Image` document describes."""
    return NodeImage(
        document['id'],
        document.get('name'),
        driver,
        extra=dict(document.get('extra') or {}),
    )


def libcloud_size(document, driver):
    """The libcloud ``NodeSize`` a :class:`Size` document describes."""
    return NodeSize(
        document['id'],
        document.get('name'),
        document.get('ram'),
        document.get('disk'),
        document.get('bandwidth'),
        document.get('price'),
        driver,
        extra=dict(document.get('extra') or {}),
    )


def libcloud_location(document, driver):
    """The libcloud ``NodeLocation`` a :class:`Location` document
    describes."""
    return NodeLocation(
        document['id'],
        document.get('name'),
        document.get('country'),
        driver,
        extra=dict(document.get('extra') or {}),
    )


def to_key_pair(key_pair, cloud, private_key=None):
    """A libcloud ``KeyPair``; the private key only when just created."""
    return KeyPair(
        name=key_pair.name,
        cloud=cloud,
        fingerprint=key_pair.fingerprint,
        public_key=key_pair.public_key,
        private_key=private_key or None,
    )


def to_volume(volume, cloud):
    """A libcloud ``StorageVolume`` as the API's :class:`Volume`."""
    extra = safe_extra(volume.extra)
    return Volume(
        id=str(volume.id),
        name=volume.name,
        cloud=cloud,
        size=volume.size,
        state=state_name(volume.state, VolumeState),
        node_id=extra.get('node_id') or extra.get('instance_id'),
        device=extra.get('device'),
        extra=extra,
    )


#: Values stored as they are.
_PLAIN = (str, int, float, bool, type(None))


def as_document(view):
    """A view (or a dict or list of views) as plain JSON values, for
    storing: the fields left ``None`` that only some answers carry are
    left out, as the API leaves them out."""
    if isinstance(view, enum.Enum):
        return view.value
    if isinstance(view, _PLAIN):
        return view
    if isinstance(view, dict):
        return {key: as_document(value) for key, value in view.items()}
    if isinstance(view, list):
        return [as_document(value) for value in view]
    if dataclasses.is_dataclass(view):
        document = {}
        for name, optional in _fields(type(view)):
            value = getattr(view, name)
            if value is None and optional:
                continue
            document[name] = as_document(value)
        return document
    return view


@functools.lru_cache(maxsize=None)
def _fields(cls):
    """``(name, left out when None)`` of each field of dataclass ``cls``."""
    return tuple(
        (field.name, field.default is None)
        for field in dataclasses.fields(cls)
    )
