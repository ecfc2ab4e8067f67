"""Checking input against a declared (marshmallow) schema.

One place turns a schema's complaints into the service's answer: a 400
whose ``field`` names the first bad field the way the input spells it
(``groups[0].size``), shallow fields before deep ones.  The HTTP layer
uses it for bodies and query strings, the services for the same schemas
when they are given input by other means.
"""

import re

from marshmallow import ValidationError

from dispatcher import errors

#: marshmallow's key for a complaint about the whole object.
WHOLE = '_schema'

#: Longest field name repeated in an error message.
MAX_ECHOED_NAME = 64

_MESSAGES = {
    'Missing data for required field.': 'is required',
    'Field may not be null.': 'may not be null',
}


def shown(name):
    """``name`` cut to a length an error message may repeat."""
    name = str(name)
    return (
        name
        if len(name) <= MAX_ECHOED_NAME
        else name[:MAX_ECHOED_NAME] + '...'
    )


def field_name(path):
    """A path as the input spells it: ``groups[0].size``."""
    text = ''
    for part in path:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            text += '[%s]' % part
        else:
            text += ('.' if text else '') + shown(part)
    return text or None


def complaints(messages, path=()):
    """``[(path, message)]`` of marshmallow's nested ``messages``."""
    found = []
    if isinstance(messages, dict):
        # A mapping field's errors are {name: {'key' or 'value': ...}}:
        # the input spells them by the name alone.
        of_mapping = bool(messages) and set(messages) <= {'key', 'value'}
        for key, value in messages.items():
            below = path if key == WHOLE or of_mapping else path + (key,)
            found.extend(complaints(value, below))
    elif isinstance(messages, (list, tuple)):
        for message in messages:
            found.extend(complaints(message, path))
    else:
        found.append((path, str(messages)))
    return found


def _sort_key(item):
    path, _ = item
    return (len(path), [str(p) for p in path])


def first_error(messages, allowed=None):
    """The :class:`~dispatcher.errors.BadRequest` of a schema's complaints.

    Unknown fields of one object are named together (``colour, sise``).
    :param allowed: ``path -> names`` of the fields an object takes, for
        the message about an unknown field.
    """
    found = sorted(complaints(messages), key=_sort_key)
    if not found:
        return errors.BadRequest(
            'the input is not valid', code='invalid_field'
        )
    path, message = found[0]
    if not path:
        return errors.BadRequest(
            'the body must be a JSON object', code='invalid_field'
        )
    if message == 'Unknown field.':
        siblings = sorted(
            shown(p[-1])
            for p, m in found
            if m == message and p[:-1] == path[:-1]
        )
        field = field_name(path[:-1] + (', '.join(siblings),))
        text = (
            'is not a field of this body'
            if len(siblings) == 1
            else 'are not fields of this body'
        )
        names = (allowed or {}).get(tuple(path[:-1]))
        if names:
            text += '; it takes: %s' % ', '.join(sorted(names))
        return errors.BadRequest(
            _sentence(field, text), field=field, code='invalid_field'
        )
    field = field_name(path)
    text = _MESSAGES.get(message, message)
    return errors.BadRequest(
        _sentence(field, text), field=field, code='invalid_field'
    )


def _sentence(field, text):
    # The service's own phrases read on from the field's name ("name is
    # required"); marshmallow's are sentences of their own.
    return ('%s %s' if text[:1].islower() else '%s: %s') % (field, text)


def allowed_fields(schema):
    """``{(): names}`` of the fields ``schema`` takes at its top level."""
    return {
        (): [
            f.data_key or name
            for name, f in schema.fields.items()
            if not f.dump_only
        ]
    }


def load(schema, data):
    """``data`` loaded by ``schema``; 400 naming the first bad field."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise first_error(exc.messages, allowed_fields(schema))


def is_digits(value):
    """Whether ``value`` is plain ASCII digits (no sign, space or others)."""
    return bool(re.fullmatch(r'[0-9]+', value))
