"""Stack templates: their schema, and every check made before a node exists.

A template is checked whole before anything is created: its shape (the
schema :class:`StackTemplate`, which the route declares too), then that
each cloud exists, is available and can create and destroy nodes, then
(asking each cloud's catalogue, in parallel) that each size, image,
location and key pair exists on every cloud of its group.  A
bad field is a 400 naming it the way the template spells it, e.g.
``groups[0].size``.
"""

import functools

from marshmallow import fields, validate

from dispatcher import errors
from dispatcher.lib.collectors.cloud import LISTINGS
from dispatcher.lib.parallel import all_at_once
from dispatcher.services import validation
from dispatcher.services.schema_fields import (
    Strict,
    StrictInteger,
    name_field,
    provider_id,
    unique_list,
)

#: Stack and group names: they become part of node names, so keep them
#: short and host-name friendly.
STACK_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9-]*$'
STACK_NAME_MESSAGE = (
    "must start with a letter or digit and hold only letters, digits and '-'"
)
#: Most nodes in one group (``STACK_MAX_NODES`` bounds a whole stack).
MAX_GROUP_COUNT = 1000
#: Most groups in a stack, and clouds in a group.
MAX_GROUPS = MAX_CLOUDS = 32


def _stack_name(max_length, **kwargs):
    return name_field(
        max_length, STACK_NAME_PATTERN, STACK_NAME_MESSAGE, **kwargs
    )


def _count(**kwargs):
    return StrictInteger(
        validate=validate.Range(0, MAX_GROUP_COUNT),
        metadata={'description': 'how many nodes'},
        **kwargs,
    )


class CloudChoice(Strict):
    """What one cloud of a group uses instead of the group's own values
    (sizes, images and key pairs differ between clouds)."""

    size = provider_id()
    image = provider_id()
    location = provider_id()
    key_name = name_field()


#: The keys a group (or one cloud of it) chooses from a cloud's catalogue,
#: with the catalogue each is checked against.
CHOICES = (
    ('size', 'sizes'),
    ('image', 'images'),
    ('location', 'locations'),
    ('key_name', 'key_pairs'),
)


class GroupTemplate(Strict):
    """One group of a stack: ``count`` nodes of one size and image, on one
    cloud (``cloud``) or spread over several (``clouds``); ``per_cloud``
    gives a cloud of the group its own size, image, location or key pair.
    """

    name = _stack_name(16, required=True)
    cloud = provider_id(metadata={'description': 'the cloud of the group'})
    clouds = unique_list(
        provider_id(),
        MAX_CLOUDS,
        'clouds to spread the nodes over, in turn',
        minimum=1,
    )
    size = provider_id(
        metadata={
            'description': 'size id on every cloud of the group (required '
            'unless per_cloud gives each cloud its own)'
        }
    )
    image = provider_id(
        metadata={
            'description': 'image id on every cloud of the group (required '
            'unless per_cloud gives each cloud its own)'
        }
    )
    location = provider_id()
    key_name = name_field()
    per_cloud = fields.Dict(
        keys=provider_id(),
        values=fields.Nested(CloudChoice),
        validate=validate.Length(max=MAX_CLOUDS),
        metadata={
            'description': 'cloud name -> the size, image, location or key '
            "pair that cloud uses instead of the group's"
        },
    )
    count = _count(required=True)


def choice(group, cloud, key):
    """The ``size``, ``image``, ``location`` or ``key_name`` the nodes of
    ``group`` on ``cloud`` use."""
    own = (group.get('per_cloud') or {}).get(cloud) or {}
    return own.get(key, group.get(key))


class StackTemplate(Strict):
    """The body of ``POST /v1/stacks``."""

    EXAMPLE = {
        'name': 'shop',
        'on_failure': 'rollback',
        'groups': [
            {
                'name': 'web',
                'cloud': 'default',
                'size': 'small',
                'image': 'img-ubuntu-24.04',
                'count': 2,
            }
        ],
    }

    name = _stack_name(24, required=True)
    groups = fields.List(
        fields.Nested(GroupTemplate),
        required=True,
        validate=validate.Length(1, MAX_GROUPS),
    )
    on_failure = fields.String(
        validate=validate.OneOf(['rollback', 'keep']),
        metadata={
            'description': 'what a failed creation does with the '
            'nodes it made (default rollback)'
        },
    )
    timeout = StrictInteger(
        validate=validate.Range(1, 86400),
        metadata={'description': 'seconds the creation may take'},
    )


class GroupScale(Strict):
    """A group's new node count."""

    name = _stack_name(16, required=True)
    count = _count(required=True)


class StackScale(Strict):
    """The body of ``PATCH /v1/stacks/<id>``."""

    EXAMPLE = {'groups': [{'name': 'web', 'count': 3}]}

    groups = fields.List(
        fields.Nested(GroupScale),
        required=True,
        validate=validate.Length(1, MAX_GROUPS),
    )


#: What every cloud of a stack must be able to do.
NEEDED_OPERATIONS = ('create_node', 'destroy_node', 'list_nodes')


def _bad(field, message, cloud=None, code='invalid_field'):
    return errors.BadRequest(
        '%s: %s' % (field, message), field=field, cloud=cloud, code=code
    )


def _group_clouds(group, index):
    if 'cloud' in group and 'clouds' in group:
        raise _bad(
            'groups[%d].clouds' % index,
            'give either cloud or clouds, not both',
        )
    if 'clouds' in group:
        return [
            ('groups[%d].clouds[%d]' % (index, n), name)
            for n, name in enumerate(group['clouds'])
        ]
    if 'cloud' in group:
        return [('groups[%d].cloud' % index, group['cloud'])]
    raise _bad(
        'groups[%d].cloud' % index,
        'is required (or clouds, a list to spread the nodes over)',
    )


def _check_cloud(farm, field, name):
    cloud = farm.clouds.get(name)
    if cloud is None:
        raise _bad(
            field,
            'no cloud named %r; the farm has: %s'
            % (name, ', '.join(farm.clouds) or 'none'),
            cloud=name,
            code='cloud_not_found',
        )
    if not cloud.available:
        raise _bad(
            field,
            'cloud %r is unavailable: %s' % (name, cloud.reason),
            cloud=name,
            code='cloud_unavailable',
        )
    missing = [op for op in NEEDED_OPERATIONS if op not in cloud.operations()]
    if missing:
        raise _bad(
            field,
            'cloud %r cannot %s' % (name, ', '.join(missing)),
            cloud=name,
            code='not_supported',
        )
    return cloud


def _catalogues(farm, groups, catalogue):
    """The ids of each cloud's catalogue that the groups refer to, from
    ``catalogue(cloud, kind, wanted)`` (``None``: the cloud cannot list
    that kind, and the provider will judge at create time)."""
    wanted = {}
    for group in groups:
        for name in group['clouds']:
            for key, kind in CHOICES:
                value = choice(group, name, key)
                if value is not None:
                    wanted.setdefault((name, kind), set()).add(str(value))
    asks = {}
    for (name, kind), values in sorted(wanted.items()):
        cloud = farm.get(name)
        if LISTINGS[kind].__name__ in cloud.operations():
            asks[(name, kind)] = functools.partial(
                catalogue, cloud, kind, values
            )
    # Every cloud is asked at once: a template over eight slow clouds
    # waits for the slowest catalogue, not for sixteen in a row.
    found, failures = all_at_once(asks)
    if failures:
        raise failures[min(failures)]
    return found


def validate_create(farm, body, default_timeout, max_nodes, catalogue):
    """The normalised template of a ``POST /v1/stacks`` body.

    Each group gets ``clouds`` (a list, also for a single ``cloud``).
    Sizes, images, locations and key pairs are checked with
    ``catalogue`` (the inventory's
    :meth:`~dispatcher.services.inventory.Inventory.catalogue_keys`).
    """
    body = validation.load(StackTemplate(), body)
    groups, seen = [], set()
    for index, group in enumerate(body['groups']):
        if group['name'] in seen:
            raise _bad(
                'groups[%d].name' % index,
                'group %r appears twice' % group['name'],
            )
        seen.add(group['name'])
        clouds = [
            _check_cloud(farm, field, name).name
            for field, name in _group_clouds(group, index)
        ]
        normal = {k: v for k, v in group.items() if k not in ('cloud',)}
        normal['clouds'] = clouds
        normal.setdefault('size', None)
        normal.setdefault('image', None)
        _check_choices(normal, index)
        groups.append(normal)
    total = sum(group['count'] for group in groups)
    if total > max_nodes:
        raise _bad(
            'groups',
            'the stack would have %d nodes; at most %d are '
            'allowed (STACK_MAX_NODES)' % (total, max_nodes),
        )
    found = _catalogues(farm, groups, catalogue)
    for index, group in enumerate(groups):
        for name in group['clouds']:
            for key, kind in CHOICES:
                value = choice(group, name, key)
                known = found.get((name, kind))
                if (
                    value is not None
                    and known is not None
                    and str(value) not in known
                ):
                    raise _bad(
                        _choice_field(group, index, name, key),
                        '%s %r does not exist on cloud %r'
                        % (key.replace('_', ' '), value, name),
                        cloud=name,
                    )
    return {
        'name': body['name'],
        'groups': groups,
        'on_failure': body.get('on_failure', 'rollback'),
        'timeout': body.get('timeout', int(default_timeout)),
    }


def _choice_field(group, index, cloud, key):
    """How the template spells where ``key`` of ``cloud`` came from."""
    if key in ((group.get('per_cloud') or {}).get(cloud) or {}):
        return 'groups[%d].per_cloud.%s.%s' % (index, cloud, key)
    return 'groups[%d].%s' % (index, key)


def _check_choices(group, index):
    """``per_cloud`` names clouds of the group, and every cloud has a size
    and an image."""
    for name in group.get('per_cloud') or {}:
        if name not in group['clouds']:
            raise _bad(
                'groups[%d].per_cloud.%s' % (index, name),
                'cloud %r is not a cloud of the group (%s)'
                % (name, ', '.join(group['clouds'])),
                cloud=name,
            )
    for key in ('size', 'image'):
        lacking = [c for c in group['clouds'] if choice(group, c, key) is None]
        if lacking:
            raise _bad(
                'groups[%d].%s' % (index, key),
                'is required, or per_cloud.<cloud>.%s for every cloud of '
                'the group (missing for %s)' % (key, ', '.join(lacking)),
            )


def validate_scale(template, body, max_nodes):
    """``{group: count}`` of a ``PATCH`` body against a stack's template."""
    body = validation.load(StackScale(), body)
    known = {group['name']: group['count'] for group in template['groups']}
    counts = {}
    for index, change in enumerate(body['groups']):
        name = change['name']
        if name not in known:
            raise _bad(
                'groups[%d].name' % index,
                'the stack has no group %r; it has: %s'
                % (name, ', '.join(known)),
            )
        if name in counts:
            raise _bad(
                'groups[%d].name' % index, 'group %r appears twice' % name
            )
        counts[name] = change['count']
    total = sum(dict(known, **counts).values())
    if total > max_nodes:
        raise _bad(
            'groups',
            'the stack would have %d nodes; at most %d are '
            'allowed (STACK_MAX_NODES)' % (total, max_nodes),
        )
    return counts
