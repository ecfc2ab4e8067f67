"""Stack templates: their schema, and every check made before a node exists.

A template is checked whole before anything is created: its shape (JSON
schema), then that each cloud exists, is available and can create and
destroy nodes, then (asking each cloud's catalogue, in parallel) that each
size, image, location and key pair exists on every cloud of its group.  A
bad field is a 400 naming it the way the template spells it, e.g.
``groups[0].size``.
"""

import jsonschema

from dispatcher import errors
from dispatcher.services.resources import CATALOGUES

#: Stack and group names: they become part of node names, so keep them
#: short and host-name friendly.
STACK_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 24,
              'pattern': '^[A-Za-z0-9][A-Za-z0-9-]*$'}
GROUP_NAME = dict(STACK_NAME, maxLength=16)
#: Provider ids (sizes, images, locations) and key pair names.
ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}
KEY_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 64,
            'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]*$'}
#: Most nodes in one group (``STACK_MAX_NODES`` bounds a whole stack).
MAX_GROUP_COUNT = 1000

GROUP = {
    'type': 'object',
    'properties': {
        'name': GROUP_NAME,
        'cloud': ID,
        'clouds': {'type': 'array', 'items': ID, 'minItems': 1,
                   'maxItems': 32, 'uniqueItems': True},
        'size': ID, 'image': ID, 'location': ID, 'key_name': KEY_NAME,
        'count': {'type': 'integer', 'minimum': 0,
                  'maximum': MAX_GROUP_COUNT},
    },
    'required': ['name', 'size', 'image', 'count'],
    'additionalProperties': False,
}

STACK_CREATE = {
    'type': 'object',
    'properties': {
        'name': STACK_NAME,
        'groups': {'type': 'array', 'items': GROUP, 'minItems': 1,
                   'maxItems': 32},
        'on_failure': {'type': 'string', 'enum': ['rollback', 'keep']},
        'timeout': {'type': 'integer', 'minimum': 1, 'maximum': 86400},
    },
    'required': ['name', 'groups'],
    'additionalProperties': False,
}

STACK_UPDATE = {
    'type': 'object',
    'properties': {
        'groups': {'type': 'array', 'minItems': 1, 'maxItems': 32,
                   'items': {
                       'type': 'object',
                       'properties': {'name': GROUP_NAME,
                                      'count': GROUP['properties']['count']},
                       'required': ['name', 'count'],
                       'additionalProperties': False}},
    },
    'required': ['groups'],
    'additionalProperties': False,
}

#: What every cloud of a stack must be able to do.
NEEDED_OPERATIONS = ('create_node', 'destroy_node', 'list_nodes')


def field_name(path):
    """A JSON path as the template spells it: ``groups[0].size``."""
    text = ''
    for part in path:
        if isinstance(part, int):
            text += '[%d]' % part
        else:
            text += ('.' if text else '') + str(part)
    return text or None


def _bad(field, message, cloud=None, code='invalid_field'):
    return errors.BadRequest('%s: %s' % (field, message), field=field,
                             cloud=cloud, code=code)


def check_schema(body, schema):
    """``body`` if it matches ``schema``; 400 naming the first bad field."""
    validator = jsonschema.Draft202012Validator(schema)
    found = sorted(validator.iter_errors(body),
                   key=lambda e: (len(e.absolute_path), e.validator))
    if not found:
        return body
    error = found[0]
    path = list(error.absolute_path)
    if error.validator == 'required':
        name = error.message.split("'")[1]
        field = field_name(path + [name])
        raise _bad(field, 'is required')
    if error.validator == 'additionalProperties':
        allowed = set(error.schema.get('properties', {}))
        unknown = sorted(set(error.instance) - allowed)
        field = field_name(path + unknown[:1])
        raise _bad(field, 'unknown field; allowed: %s'
                   % ', '.join(sorted(allowed)))
    field = field_name(path)
    if field is None:
        raise errors.BadRequest('the body must be a JSON object',
                                code='invalid_field')
    raise _bad(field, error.message)


def _group_clouds(group, index):
    if 'cloud' in group and 'clouds' in group:
        raise _bad('groups[%d].clouds' % index,
                   'give either cloud or clouds, not both')
    if 'clouds' in group:
        return [('groups[%d].clouds[%d]' % (index, n), name)
                for n, name in enumerate(group['clouds'])]
    if 'cloud' in group:
        return [('groups[%d].cloud' % index, group['cloud'])]
    raise _bad('groups[%d].cloud' % index,
               'is required (or clouds, a list to spread the nodes over)')


def _check_cloud(farm, field, name):
    cloud = farm.clouds.get(name)
    if cloud is None:
        raise _bad(field, 'no cloud named %r; the farm has: %s'
                   % (name, ', '.join(farm.clouds) or 'none'), cloud=name,
                   code='cloud_not_found')
    if not cloud.available:
        raise _bad(field, 'cloud %r is unavailable: %s'
                   % (name, cloud.reason), cloud=name,
                   code='cloud_unavailable')
    missing = [op for op in NEEDED_OPERATIONS
               if op not in cloud.operations()]
    if missing:
        raise _bad(field, 'cloud %r cannot %s' % (name, ', '.join(missing)),
                   cloud=name, code='not_supported')
    return cloud


def _catalogues(farm, groups):
    """The ids of each cloud's catalogue that the groups refer to."""
    wanted = set()
    for group in groups:
        for name in group['clouds']:
            for kind, key in (('sizes', 'size'), ('images', 'image'),
                              ('locations', 'location'),
                              ('key_pairs', 'key_name')):
                if group.get(key) is not None:
                    wanted.add((name, kind))
    calls = {}
    for name, kind in sorted(wanted):
        cloud = farm.get(name)
        operation = CATALOGUES.get(kind, 'list_' + kind)
        if operation in cloud.operations():
            calls[(name, kind)] = cloud.submit(operation)
    found = {}
    for (name, kind), call in calls.items():
        items = call.result()
        found[(name, kind)] = {str(i.get('id') or i.get('name'))
                               for i in items} | {
            str(i['name']) for i in items if kind == 'key_pairs'}
    return found


def validate_create(farm, body, default_timeout, max_nodes):
    """The normalised template of a ``POST /v1/stacks`` body.

    Each group gets ``clouds`` (a list, also for a single ``cloud``).
    """
    check_schema(body, STACK_CREATE)
    groups, seen = [], set()
    for index, group in enumerate(body['groups']):
        if group['name'] in seen:
            raise _bad('groups[%d].name' % index,
                       'group %r appears twice' % group['name'])
        seen.add(group['name'])
        clouds = [_check_cloud(farm, field, name).name
                  for field, name in _group_clouds(group, index)]
        normal = {k: v for k, v in group.items() if k not in ('cloud',)}
        normal['clouds'] = clouds
        groups.append(normal)
    total = sum(group['count'] for group in groups)
    if total > max_nodes:
        raise _bad('groups', 'the stack would have %d nodes; at most %d are '
                   'allowed (STACK_MAX_NODES)' % (total, max_nodes))
    found = _catalogues(farm, groups)
    for index, group in enumerate(groups):
        for name in group['clouds']:
            for kind, key in (('sizes', 'size'), ('images', 'image'),
                              ('locations', 'location'),
                              ('key_pairs', 'key_name')):
                value = group.get(key)
                known = found.get((name, kind))
                if value is not None and known is not None \
                        and str(value) not in known:
                    raise _bad('groups[%d].%s' % (index, key),
                               '%s %r does not exist on cloud %r'
                               % (key.replace('_', ' '), value, name),
                               cloud=name)
    return {'name': body['name'], 'groups': groups,
            'on_failure': body.get('on_failure', 'rollback'),
            'timeout': body.get('timeout', int(default_timeout))}


def validate_scale(template, body, max_nodes):
    """``{group: count}`` of a ``PATCH`` body against a stack's template."""
    check_schema(body, STACK_UPDATE)
    known = {group['name']: group['count'] for group in template['groups']}
    counts = {}
    for index, change in enumerate(body['groups']):
        name = change['name']
        if name not in known:
            raise _bad('groups[%d].name' % index,
                       'the stack has no group %r; it has: %s'
                       % (name, ', '.join(known)))
        if name in counts:
            raise _bad('groups[%d].name' % index,
                       'group %r appears twice' % name)
        counts[name] = change['count']
    total = sum(dict(known, **counts).values())
    if total > max_nodes:
        raise _bad('groups', 'the stack would have %d nodes; at most %d are '
                   'allowed (STACK_MAX_NODES)' % (total, max_nodes))
    return counts
