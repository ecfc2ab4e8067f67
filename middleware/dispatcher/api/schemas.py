"""JSON schemas of the request bodies, and their validation.

The schemas are the single description of what each route accepts: the
API validates bodies against them and the OpenAPI document publishes them.
"""

import jsonschema

from dispatcher import errors

#: Names the clouds commonly accept for nodes, key pairs and volumes.
NAME = {'type': 'string', 'minLength': 1, 'maxLength': 64,
        'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]*$'}
ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}

NODE_CREATE = {
    'type': 'object',
    'properties': {'name': NAME, 'size': ID, 'image': ID, 'location': ID,
                   'key_name': NAME},
    'required': ['name', 'size', 'image'],
    'additionalProperties': False,
}

NODE_ACTION = {
    'type': 'object',
    'properties': {'action': {'type': 'string',
                              'enum': ['reboot', 'start', 'stop']}},
    'required': ['action'],
    'additionalProperties': False,
}

KEY_PAIR_CREATE = {
    'type': 'object',
    'properties': {'name': NAME,
                   'public_key': {'type': 'string', 'minLength': 1,
                                  'maxLength': 16384}},
    'required': ['name'],
    'additionalProperties': False,
}

VOLUME_CREATE = {
    'type': 'object',
    'properties': {'name': NAME,
                   'size': {'type': 'integer', 'minimum': 1,
                            'maximum': 65536},
                   'location': ID},
    'required': ['name', 'size'],
    'additionalProperties': False,
}

VOLUME_ATTACH = {
    'type': 'object',
    'properties': {'node_id': ID,
                   'device': {'type': 'string', 'maxLength': 64,
                              'pattern': '^/dev/[a-z0-9]+$'}},
    'required': ['node_id'],
    'additionalProperties': False,
}


def _field(error):
    if error.validator == 'required':
        return error.message.split("'")[1]
    if error.validator == 'additionalProperties':
        allowed = set(error.schema.get('properties', {}))
        return ', '.join(sorted(set(error.instance) - allowed))
    return '.'.join(str(p) for p in error.absolute_path) or None


def _message(error, field):
    if error.validator == 'required':
        return "%s is required" % field
    if error.validator == 'additionalProperties':
        return "unknown field(s): %s" % field
    if error.validator == 'pattern':
        return ("%s must start with a letter or digit and hold only "
                "letters, digits, '.', '_' and '-'" % field)
    if not field:
        return "the body must be a JSON object"
    return "%s: %s" % (field, error.message)


def validate(body, schema):
    """``body`` if it matches ``schema``; 400 naming the first bad field."""
    validator = jsonschema.Draft202012Validator(schema)
    found = sorted(validator.iter_errors(body),
                   key=lambda e: (len(e.absolute_path), e.validator))
    if found:
        error = found[0]
        field = _field(error)
        raise errors.BadRequest(_message(error, field), field=field,
                                code='invalid_field')
    return body
