"""API tokens and the audit trail."""

import datetime

from marshmallow import Schema, fields, validate

from dispatcher.api.schemas.common import (
    NamedPageQuery,
    PageQuery,
    answer_of,
    page_of,
    query_text,
)
from dispatcher.services.schema_fields import (
    Strict,
    StrictInteger,
    name_field,
    unique_list,
)
from dispatcher.services.tokens import MAX_EXPIRES_IN, ROLES, STATUSES


def _text(description, nullable=False, **kwargs):
    return fields.String(
        required=True,
        allow_none=nullable,
        metadata={'description': description},
        **kwargs,
    )


class TokenCreate(Strict):
    """A token to make."""

    EXAMPLE = {'role': 'reader', 'name': 'dashboard', 'clouds': ['default']}

    role = fields.String(
        required=True,
        validate=validate.OneOf(ROLES),
        metadata={'description': 'what it may do'},
    )
    clouds = unique_list(
        fields.String(validate=validate.Length(1, 64)),
        256,
        'the clouds it sees (null or absent: all)',
        allow_none=True,
    )
    name = name_field(metadata={'description': 'a name for people'})
    expires_in = StrictInteger(
        allow_none=True,
        validate=validate.Range(60, MAX_EXPIRES_IN),
        metadata={
            'description': 'seconds until it expires (null or absent: never)'
        },
    )


class Token(Schema):
    """A token: never its value (but once, when made) or its digest."""

    id = _text('its id')
    name = _text('its name', True)
    role = _text('what it may do', validate=validate.OneOf(ROLES))
    clouds = fields.List(
        fields.String(),
        required=True,
        allow_none=True,
        metadata={'description': 'the clouds it sees; null: all'},
    )
    prefix = _text('the first characters of its value, to recognise it')
    status = _text('whether it is accepted', validate=validate.OneOf(STATUSES))
    created_by = _text('who made it', True)
    created_at = _text('when (ISO 8601)')
    expires_at = _text('when it expires (ISO 8601)', True)
    revoked_at = _text('when it was revoked (ISO 8601)', True)
    value = fields.String(
        metadata={
            'description': 'the token itself: only in the answer that made it'
        }
    )


class TokenQuery(NamedPageQuery):
    """Tokens filtered by name, role and status."""

    role = fields.String(validate=validate.OneOf(ROLES))
    status = fields.String(validate=validate.OneOf(STATUSES))


TokenAnswer = answer_of(Token, 'token', 'TokenAnswer', 'the token')
TokenPage = page_of(Token, 'tokens', 'TokenPage', 'the tokens')


class EventToken(Schema):
    """The token that made a request."""

    id = _text('its id', True)
    name = _text('its name', True)


class AuditEvent(Schema):
    """A change someone asked for, and how it ended."""

    id = _text('its id')
    time = _text('when (ISO 8601)')
    token = fields.Nested(EventToken, required=True)
    method = _text('the HTTP method')
    route = _text('the route')
    path = _text('the path asked for')
    action = _text('what was asked: ``node.create``, ...')
    cloud = _text('the cloud concerned', True)
    resource_id = _text('the resource concerned', True)
    status = fields.Integer(
        required=True,
        metadata={'description': 'the HTTP status of the answer'},
    )
    request_id = _text('the request id', True)


class AuditQuery(PageQuery):
    """Events filtered by cloud, token and time."""

    cloud = query_text(metadata={'description': 'only events on this cloud'})
    token = query_text(
        metadata={'description': 'only events of this token id'}
    )
    since = fields.AwareDateTime(
        default_timezone=datetime.timezone.utc,
        metadata={
            'description': 'only events at or after this time (ISO 8601; UTC '
            'when no offset is given)'
        },
    )
    until = fields.AwareDateTime(
        default_timezone=datetime.timezone.utc,
        metadata={'description': 'only events before this time'},
    )


AuditEventPage = page_of(
    AuditEvent, 'events', 'AuditEventPage', 'the events, newest first'
)
