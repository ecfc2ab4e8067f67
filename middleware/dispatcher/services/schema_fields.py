"""The fields every schema of the service is built from.

Shared by the request schemas of the HTTP layer and the stack template the
stack service checks, so that a name or an id means the same everywhere.
"""

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate


class Strict(Schema):
    """A schema that refuses fields it does not declare."""

    class Meta:
        unknown = RAISE


class FullMatch(validate.Regexp):
    """A pattern the whole value must match: ``$`` lets a trailing newline
    through, this does not.  Published as the pattern it holds."""

    def __call__(self, value):
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class StrictInteger(fields.Integer):
    """An integer in JSON: ``2.0``, ``"2"`` and ``true`` are refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault('strict', True)
        super().__init__(**kwargs)


class QueryInteger(fields.Integer):
    """An integer in a query string: ASCII digits only (no sign, space,
    other scripts' digits), at most nine of them."""

    default_error_messages = {
        'invalid': 'must be a whole number in ASCII digits'
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if (
            not isinstance(value, str)
            or re.fullmatch(r'[0-9]{1,9}', value) is None
        ):
            raise self.make_error('invalid')
        return super()._deserialize(value, attr, data, **kwargs)


def unique_list(item, maximum, description, minimum=None, **kwargs):
    """A list of ``minimum`` to ``maximum`` ``item`` values, none twice."""

    def unique(values):
        if len(set(values)) != len(values):
            raise ValidationError('names the same item more than once')

    return fields.List(
        item,
        validate=[validate.Length(min=minimum, max=maximum), unique],
        metadata={'uniqueItems': True, 'description': description},
        **kwargs,
    )


class Quantity(fields.Number):
    """A number as the provider gave it: an integer stays an integer."""

    num_type = float

    def _format_num(self, value):
        return value


#: What a provider id (size, image, location, node...) may be.
ID_LENGTH = validate.Length(min=1, max=255)

#: Names the clouds commonly accept for nodes, key pairs and volumes.
NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$'
NAME_MESSAGE = (
    'must start with a letter or digit and hold only letters, '
    "digits, '.', '_' and '-'"
)


def name_field(
    max_length=64, pattern=NAME_PATTERN, message=NAME_MESSAGE, **kwargs
):
    """A name field: bounded, host-name friendly, no control character."""
    return fields.String(
        validate=[
            validate.Length(min=1, max=max_length),
            FullMatch(pattern, error=message),
        ],
        **kwargs,
    )


def provider_id(**kwargs):
    """A provider id: any non-empty string of at most 255 characters."""
    return fields.String(validate=ID_LENGTH, **kwargs)
