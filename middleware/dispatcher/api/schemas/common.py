"""What every route shares: the error body, pages, filters, headers."""

from marshmallow import Schema, fields, post_dump, validate

from dispatcher.services.schema_fields import QueryInteger, Strict

#: Longest value of a query parameter (``cloud`` lists several names).
MAX_QUERY_VALUE = 1024


class ErrorDetail(Schema):
    """What went wrong."""

    status = fields.Integer(
        required=True, metadata={'description': 'the HTTP status, again'}
    )
    code = fields.String(
        required=True,
        metadata={
            'description': 'stable machine-readable code (see the error '
            'reference)'
        },
    )
    message = fields.String(
        required=True, metadata={'description': 'for humans'}
    )
    cloud = fields.String(
        metadata={'description': 'the cloud concerned, when one is'}
    )
    field = fields.String(
        metadata={'description': 'the request field at fault, for 400'}
    )
    details = fields.Raw(
        allow_none=True,
        metadata={'description': 'more about the failure, when known'},
    )
    request_id = fields.String(
        metadata={'description': 'quote it when reporting a problem'}
    )


class Error(Schema):
    """Every failure, whatever the route: one shape."""

    error = fields.Nested(ErrorDetail, required=True)


def without_absent(*names):
    """A ``post_dump`` hook leaving out ``names`` when a value object has
    them unset: the fields only some answers carry."""

    @post_dump
    def leave_out(self, data, **kwargs):
        for name in names:
            if data.get(name) is None:
                data.pop(name, None)
        return data

    return leave_out


def query_text(**kwargs):
    """A string query parameter of bounded length."""
    return fields.String(
        validate=validate.Length(max=MAX_QUERY_VALUE), **kwargs
    )


class NoQuery(Strict):
    """A route that takes no query parameter."""


class PageQuery(Strict):
    """``limit`` and ``marker``: the pagination of every list."""

    limit = QueryInteger(
        validate=validate.Range(1, None, error='must be at least 1'),
        metadata={
            'description': 'page size (default ``PAGE_SIZE``, at '
            'most ``MAX_PAGE_SIZE``)'
        },
    )
    marker = query_text(
        metadata={
            'description': 'the key of the last item of the previous page '
            '(its ``next_marker``)'
        }
    )


class NamedPageQuery(PageQuery):
    """A page of a list filtered by ``name``."""

    name = query_text(metadata={'description': 'only items of this name'})


class StatePageQuery(NamedPageQuery):
    """A page of a list filtered by ``name`` and ``state``."""

    state = query_text(metadata={'description': 'only items in this state'})


class FreshQuery(Strict):
    """How old an answer from the inventory may be."""

    fresh = fields.Boolean(
        metadata={
            'description': 'ask the provider now rather than the inventory '
            '(concurrent asks share one provider call)'
        }
    )
    max_age = fields.Float(
        validate=validate.Range(0, None, error='must be at least 0'),
        metadata={
            'description': 'ask the provider now if the inventory is older '
            'than this many seconds'
        },
    )


class FreshNamedPageQuery(NamedPageQuery, FreshQuery):
    """A page from the inventory, filtered by ``name``."""


class FreshStatePageQuery(StatePageQuery, FreshQuery):
    """A page from the inventory, filtered by ``name`` and ``state``."""


class Freshness(Schema):
    """How fresh an answer from the inventory is, for one cloud."""

    cloud = fields.String(
        required=True, metadata={'description': 'the farm name of the cloud'}
    )
    observed_at = fields.String(
        required=True,
        allow_none=True,
        metadata={
            'description': 'when the provider last listed these (ISO 8601)'
        },
    )
    age_s = fields.Float(
        required=True,
        allow_none=True,
        metadata={'description': 'seconds since ``observed_at``'},
    )
    status = fields.String(
        required=True,
        validate=validate.OneOf(('fresh', 'stale', 'error')),
        metadata={
            'description': '``fresh``; ``stale`` (older than twice the sync '
            "period, or the cloud's circuit is open); ``error`` (the last "
            'sync failed: the last model is served)'
        },
    )
    error = fields.Nested(
        ErrorDetail,
        allow_none=True,
        metadata={'description': 'why it is stale or in error'},
    )


def freshness_field(many=False):
    """The ``freshness`` of an answer (one per cloud when ``many``)."""
    if many:
        return fields.List(
            fields.Nested(Freshness),
            required=True,
            metadata={'description': 'how fresh each cloud listed is'},
        )
    return fields.Nested(
        Freshness,
        required=True,
        metadata={'description': 'how fresh the answer is'},
    )


def page_of(item_schema, collection, name, description, **extra):
    """The schema of a page: ``{collection: [...], "next_marker": ...}``."""
    return Schema.from_dict(
        dict(
            {
                collection: fields.List(
                    fields.Nested(item_schema),
                    required=True,
                    metadata={'description': description},
                ),
                'next_marker': fields.String(
                    required=True,
                    allow_none=True,
                    metadata={
                        'description': 'the marker of the next page; '
                        'null on the last one'
                    },
                ),
            },
            **extra,
        ),
        name=name,
    )


def answer_of(item_schema, key, name, description='', **extra):
    """The schema of ``{key: item}``, with ``extra`` fields beside it."""
    return Schema.from_dict(
        dict(
            {
                key: fields.Nested(
                    item_schema,
                    required=True,
                    metadata={'description': description},
                )
            },
            **extra,
        ),
        name=name,
    )


LOCATION = {
    'Location': {
        'description': "the new resource's URL",
        'schema': {'type': 'string'},
    }
}
JOB_LOCATION = {
    'Location': {
        'description': 'the URL of the job to poll',
        'schema': {'type': 'string'},
    }
}


class IdempotencyHeader(Schema):
    """``Idempotency-Key``: a retried request gets the first answer."""

    key = fields.String(
        data_key='Idempotency-Key',
        validate=validate.Length(1, 255),
        metadata={
            'description': 'any printable text without '
            'spaces; the same key and body again answer '
            'as the first time'
        },
    )
