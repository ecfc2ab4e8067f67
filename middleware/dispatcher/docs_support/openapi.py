"""The OpenAPI 3.1 document of an application, built from its routes.

Everything comes from the same source as the Sphinx reference: the routes'
docstrings (parameters, fields, headers, status codes, examples, see
:mod:`.docstrings`) and the JSON schemas the routes validate their bodies
against (:mod:`dispatcher.api.schemas`).  The error answer is described
once, as ``#/components/schemas/Error``, and referenced by every failure.
"""

import collections
import copy
import re

import dispatcher
from dispatcher.docs_support import docstrings
from dispatcher.docs_support.access import SECURITY_SCHEME, AccessControl
from dispatcher.docs_support.examples import example_arguments, links_from
from dispatcher.docs_support.routes import iter_routes

OPENAPI_VERSION = '3.1.0'

#: OpenAPI schemas of a path variable, by werkzeug converter.
CONVERTER_SCHEMAS = {
    'default': {'type': 'string', 'minLength': 1, 'pattern': '^[^/]+$'},
    'string': {'type': 'string', 'minLength': 1, 'pattern': '^[^/]+$'},
    'path': {'type': 'string', 'minLength': 1},
    'int': {'type': 'integer', 'minimum': 0},
    'float': {'type': 'number', 'minimum': 0},
    'uuid': {'type': 'string', 'format': 'uuid'},
}

ERROR_SCHEMA = {
    'type': 'object',
    'description': 'Every failure, whatever the route: one shape.',
    'required': ['error'],
    'properties': {'error': {
        'type': 'object',
        'required': ['status', 'code', 'message'],
        'properties': {
            'status': {'type': 'integer', 'minimum': 400, 'maximum': 599,
                       'description': 'the HTTP status, again'},
            'code': {'type': 'string', 'description':
                     'stable machine-readable code (see the error reference)'},
            'message': {'type': 'string', 'description': 'for humans'},
            'cloud': {'type': 'string',
                      'description': 'the cloud concerned, when one is'},
            'field': {'type': 'string',
                      'description': 'the request field at fault, for 400'},
            'details': {'description': 'more about the failure, when known'},
            'request_id': {'type': 'string',
                           'description': 'quote it when reporting a problem'},
        },
    }},
}

HEADERS = {
    'X-Request-Id': {
        'description': "The request's id (the client's ``X-Request-Id`` "
                       "when it sent a valid one); every log line of the "
                       "request carries it.",
        'schema': {'type': 'string'}},
    'Retry-After': {
        'description': 'Seconds to wait before trying again.',
        'schema': {'type': 'string'}},
}

_MEDIA_TYPE = re.compile(r'[a-z*]+/[a-z0-9.+*-]+')

#: What every operation is built with: the app, all its routes (the
#: targets of links) and its access control.
Context = collections.namedtuple('Context', 'app routes access')


def _json_schema(declared, description=''):
    """The OpenAPI schema of a field of JSON type ``declared``."""
    types = docstrings.json_types(declared)
    schema = {}
    if types:
        schema['type'] = types[0] if len(types) == 1 else types
    if 'array' in types:
        schema['items'] = {}
    if description:
        schema['description'] = description
    return schema


def _object_schema(fields):
    properties = {f.name: _json_schema(f.type, f.description) for f in fields}
    return {'type': 'object', 'properties': properties,
            'required': [f.name for f in fields]}


def _query_schema(app, field):
    schema = _json_schema(field.type or 'string')
    if field.name == 'limit':
        # The pagination contract (dispatcher.services.pagination).
        schema.update(minimum=1, maximum=app.config['MAX_PAGE_SIZE'],
                      default=app.config['PAGE_SIZE'])
    return schema


def _with_example(parameter, examples):
    if parameter['name'] in examples:
        value = examples[parameter['name']]
        if parameter['schema'].get('type') == 'integer' and value.isdigit():
            value = int(value)
        parameter['example'] = value
    return parameter


def _parameters(ctx, route):
    documented = {f.name: f for f in route.doc.of_kind('path')}
    examples = example_arguments(ctx.app, route)
    checked = ctx.access.applies_to(route)
    parameters = []
    for variable in route.variables:
        field = documented.get(variable.name)
        schema = dict(CONVERTER_SCHEMAS.get(variable.converter,
                                            CONVERTER_SCHEMAS['default']))
        if checked and schema['type'] == 'string':
            schema['maxLength'] = ctx.access.max_path_value
        parameters.append(_with_example(
            {'name': variable.name, 'in': 'path', 'required': True,
             'schema': schema,
             'description': field.description if field else ''}, examples))
    for field in route.doc.of_kind('query'):
        schema = _query_schema(ctx.app, field)
        if checked and schema.get('type', 'string') == 'string':
            schema['maxLength'] = ctx.access.max_query_value
        parameters.append(_with_example(
            {'name': field.name, 'in': 'query', 'required': False,
             'schema': schema, 'description': field.description}, examples))
    for field in route.doc.of_kind('request_header'):
        if field.name.lower() in ('content-type', 'accept', 'authorization'):
            continue  # described by the body and security, not parameters
        parameters.append({'name': field.name, 'in': 'header',
                           'required': False, 'schema': {'type': 'string'},
                           'description': field.description})
    return parameters


def _request_body(route):
    fields = route.doc.of_kind('request_json')
    schema = route.body_schema()
    if schema is not None:
        schema = copy.deepcopy(schema)
        properties = schema['properties']
        for field in fields:
            if field.name in properties and field.description:
                # Copied: the schemas share sub-schemas (NAME, ID).
                properties[field.name] = dict(properties[field.name],
                                              description=field.description)
    elif fields:
        schema = _object_schema(fields)
        schema['required'] = []
    else:
        return None
    media = {'schema': schema}
    example = route.doc.example('request')
    if example is not None and isinstance(example.body, (dict, list)):
        media['example'] = example.body
    return {'required': True, 'content': {'application/json': media}}


def _media_types(route):
    for field in route.doc.of_kind('response_header'):
        if field.name.lower() == 'content-type':
            found = _MEDIA_TYPE.findall(field.description)
            if found:
                return found
    return ['application/json']


def _success_schema(route):
    fields = route.doc.of_kind('response_json')
    if fields:
        return _object_schema(fields)
    array_fields = route.doc.of_kind('response_json_array')
    if array_fields:
        return {'type': 'array', 'items': _object_schema(array_fields)}
    return {}


def _header_refs(*names):
    return {name: {'$ref': '#/components/headers/%s' % name}
            for name in names}


def _statuses(ctx, route):
    """The route's statuses, and those its access control adds, sorted."""
    statuses = dict(ctx.access.answers(route))
    statuses.update(route.doc.statuses())
    return sorted(statuses.items())


def _responses(ctx, route):
    responses = {}
    header_fields = [f for f in route.doc.of_kind('response_header')
                     if f.name.lower() != 'content-type']
    for status, description in _statuses(ctx, route):
        response = {'description': description or str(status),
                    'headers': _header_refs('X-Request-Id')}
        if status >= 400:
            response['content'] = {'application/json': {
                'schema': {'$ref': '#/components/schemas/Error'}}}
            if status == 429:
                response['headers'].update(_header_refs('Retry-After'))
        elif status not in (204, 304):
            for field in header_fields:
                response['headers'][field.name] = {
                    'description': field.description,
                    'schema': {'type': 'string'}}
            example = route.doc.example('response', status)
            content = {}
            for media_type in _media_types(route):
                media = {'schema': (_success_schema(route)
                                    if 'json' in media_type else {})}
                if example is not None and 'json' in media_type and \
                        isinstance(example.body, (dict, list)):
                    media['example'] = example.body
                content[media_type] = media
            response['content'] = content
            links = links_from(ctx.app, route, ctx.routes, status)
            if links:
                response['links'] = links
        responses[str(status)] = response
    return responses


def operation(ctx, route):
    """The OpenAPI operation object of one :class:`~.routes.Route`.

    :param ctx: the :data:`Context` of the document.
    """
    result = {
        'operationId': route.endpoint,
        'tags': [route.endpoint.partition('.')[0]],
        'summary': route.doc.summary,
        'responses': _responses(ctx, route) or {
            'default': {'description': 'undocumented'}},
    }
    if route.doc.description:
        result['description'] = route.doc.description
    security = ctx.access.security(route)
    if security is not None:
        result['security'] = security
    parameters = _parameters(ctx, route)
    if parameters:
        result['parameters'] = parameters
    body = _request_body(route)
    if body is not None:
        result['requestBody'] = body
    return result


def build_document(app):
    """The OpenAPI document (a dict) of every route of ``app``."""
    paths = {}
    ctx = Context(app, iter_routes(app), AccessControl(app))
    for route in ctx.routes:
        paths.setdefault(route.openapi_path, {})[route.method.lower()] = \
            operation(ctx, route)
    components = {'schemas': {'Error': copy.deepcopy(ERROR_SCHEMA)},
                  'headers': copy.deepcopy(HEADERS)}
    if ctx.access.tokens:
        components['securitySchemes'] = {'token': dict(SECURITY_SCHEME)}
    return {
        'openapi': OPENAPI_VERSION,
        'info': {
            'title': 'Multi-cloud orchestration middleware',
            'version': dispatcher.__version__,
            'description': dispatcher.__doc__.strip().splitlines()[0],
        },
        'servers': [{'url': '/'}],
        'paths': paths,
        'components': components,
    }
