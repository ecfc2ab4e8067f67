"""Version discovery and liveness."""

from marshmallow import Schema, fields, validate


class Links(Schema):
    """The collections of the API."""

    self = fields.String(required=True)
    providers = fields.String(required=True)
    clouds = fields.String(required=True)
    nodes = fields.String(required=True)
    stacks = fields.String(required=True)
    jobs = fields.String(required=True)
    events = fields.String(required=True)
    tokens = fields.String(required=True)
    openapi = fields.String(required=True)
    docs = fields.String(
        metadata={'description': 'the documentation, when it is built'}
    )


class Version(Schema):
    """An API version this service speaks."""

    id = fields.String(required=True, validate=validate.OneOf(['v1']))
    status = fields.String(required=True, validate=validate.OneOf(['CURRENT']))
    links = fields.Nested(Links, required=True)


class Versions(Schema):
    """Every API version this service speaks."""

    versions = fields.List(fields.Nested(Version), required=True)


class Health(Schema):
    """The process serves requests."""

    status = fields.String(required=True, validate=validate.OneOf(['ok']))


class Document(Schema):
    """An OpenAPI 3.1 document."""

    openapi = fields.String(required=True)
    info = fields.Dict(required=True)
    paths = fields.Dict(required=True)
    components = fields.Dict(required=True)
