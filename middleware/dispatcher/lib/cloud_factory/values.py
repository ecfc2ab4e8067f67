"""The service's own value objects, converted from libcloud's.

The API never shows libcloud objects or integer states: each resource is a
plain dict built here, with string states and only JSON-safe ``extra``
values.  Anything in a provider's ``extra`` whose key looks like a secret is
dropped on the way.
"""

import datetime
import functools

from libcloud.compute.types import NodeState, StorageVolumeState

#: Every state a node may be in (libcloud's, as lower-case strings).
NODE_STATES = tuple(state.value.lower() for state in NodeState)

#: Every state a volume may be in.
VOLUME_STATES = tuple(state.value.lower() for state in StorageVolumeState)

#: Which node actions each node state allows (intersected with the cloud's
#: capabilities before it is published).
ACTIONS_BY_STATE = {
    'running': ('reboot', 'stop'),
    'stopped': ('start',),
    'suspended': ('start',),
    'paused': ('start',),
}

ACTION_OPERATIONS = {
    'reboot': 'reboot_node',
    'start': 'start_node',
    'stop': 'stop_node',
}

_SECRET_HINTS = ('pass', 'secret', 'token', 'private', 'credential', 'auth')
_SCALARS = (str, int, float, bool, type(None))


def state_name(state):
    """A libcloud state (enum, string or legacy integer) in lower case."""
    value = getattr(state, 'value', state)
    if isinstance(value, str):
        return value.lower()
    return 'unknown'


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
    """A libcloud ``Node`` as the API's node."""
    state = state_name(node.state)
    extra = safe_extra(node.extra)
    created = getattr(node, 'created_at', None)
    return {
        'id': str(node_id),
        'name': node.name,
        'cloud': cloud,
        'state': state,
        'public_ips': [str(ip) for ip in (node.public_ips or [])],
        'private_ips': [str(ip) for ip in (node.private_ips or [])],
        'size': _ref(
            getattr(node, 'size', None)
            or extra.get('size_id')
            or extra.get('instance_type')
            or extra.get('flavorId')
        ),
        'image': _ref(
            getattr(node, 'image', None)
            or extra.get('image_id')
            or extra.get('imageId')
        ),
        'created_at': created.isoformat()
        if created
        else extra.get('created_at'),
        'actions': node_actions(state, operations),
        'extra': extra,
    }


def to_image(image, cloud):
    """A libcloud ``NodeImage`` as the API's image."""
    return {
        'id': str(image.id),
        'name': image.name,
        'cloud': cloud,
        'extra': safe_extra(image.extra),
    }


def to_size(size, cloud):
    """A libcloud ``NodeSize`` as the API's size."""
    return {
        'id': str(size.id),
        'name': size.name,
        'cloud': cloud,
        'ram': size.ram,
        'disk': size.disk,
        'bandwidth': size.bandwidth,
        'price': size.price,
        'extra': safe_extra(size.extra),
    }


def to_location(location, cloud):
    """A libcloud ``NodeLocation`` as the API's location."""
    return {
        'id': str(location.id),
        'name': location.name,
        'cloud': cloud,
        'country': location.country,
        'extra': safe_extra(getattr(location, 'extra', None)),
    }


def to_key_pair(key_pair, cloud, private_key=None):
    """A libcloud ``KeyPair``; the private key only when just created."""
    result = {
        'name': key_pair.name,
        'cloud': cloud,
        'fingerprint': key_pair.fingerprint,
        'public_key': key_pair.public_key,
    }
    if private_key:
        result['private_key'] = private_key
    return result


def to_volume(volume, cloud):
    """A libcloud ``StorageVolume`` as the API's volume."""
    extra = safe_extra(volume.extra)
    return {
        'id': str(volume.id),
        'name': volume.name,
        'cloud': cloud,
        'size': volume.size,
        'state': state_name(volume.state),
        'node_id': extra.get('node_id') or extra.get('instance_id'),
        'device': extra.get('device'),
        'extra': extra,
    }
