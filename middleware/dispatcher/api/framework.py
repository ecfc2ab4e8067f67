"""The schema-first layer every blueprint is built on (flask-smorest).

* :class:`Blueprint` declares a route's query, body and answer schemas
  (``@bp.arguments``, ``@bp.response``) and its error answers
  (``@bp.errors(404, *PROVIDER)``); the OpenAPI document is generated from
  them.
* :class:`RequestParser` reads bodies and query strings against those
  schemas and turns every complaint into the service's own 400 naming the
  field (never webargs' 422), a non-JSON body into 415.
* :class:`ServiceApi` declares the error answers once, each with the one
  error body (:class:`~dispatcher.api.schemas.common.Error`), and leaves
  error rendering to the service's own handler.
"""

import copy
import functools
import http
import inspect
import threading

import cachetools
import flask_smorest
from flask import g, request
from marshmallow import RAISE, Schema
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import BadRequest as BadJSON
from werkzeug.exceptions import HTTPException

from dispatcher import errors
from dispatcher.api.access.inputs import MAX_PATH_VALUE
from dispatcher.api.schemas.common import Error
from dispatcher.policy import roles
from dispatcher.services import validation

#: The answers of a provider that fails: throttling, an operation its
#: driver lacks, a failure, an unreachable cloud, a timeout.
PROVIDER = (429, 501, 502, 503, 504)

#: The answers a route reading a JSON body may give besides its own.
BODY = (400, 413, 415)

#: What each error status means, whatever the route.
ERROR_DESCRIPTIONS = {
    400: 'a body field or query parameter is missing or invalid, or a '
    'query parameter the route does not take (``field`` names it)',
    401: 'no ``X-Auth-Token``, or a token the service does not accept '
    '(unknown, expired or revoked)',
    403: "the token's role does not allow this route and method",
    404: 'no such cloud, or no such resource on it (``code`` says which)',
    405: 'the route does not take this method',
    409: "the action is not valid in the resource's state, or conflicts "
    'with it',
    413: 'the body is larger than the service accepts',
    415: 'the body is not JSON (``Content-Type: application/json``)',
    416: 'the ``Range`` asked for is outside the file',
    429: "the provider, or the caller's own rate limit, throttles "
    '(``Retry-After`` says when to retry)',
    501: "the cloud's driver cannot do this (``not_supported``)",
    502: "the provider failed, or refused the farm's credentials",
    503: 'the cloud is unreachable or its farm entry is broken, or the '
    "service's own database cannot be reached (``database_unavailable``, "
    'with ``Retry-After``)',
    504: "the provider did not answer within the cloud's timeout",
}

#: Answers access control may give before any protected route (503: the
#: database, which holds the tokens, cannot be reached).
ACCESS = (400, 401, 403, 429, 503)

RETRY_AFTER = {
    'description': 'seconds to wait before trying again',
    'schema': {'type': 'string', 'pattern': '^[0-9]+$'},
}
REQUEST_ID = {
    'description': "the request's id; every log line of the "
    'request carries it',
    'schema': {'type': 'string'},
}

SECURITY_SCHEME = {
    'type': 'apiKey',
    'in': 'header',
    'name': 'X-Auth-Token',
    'description': 'An API token (``mw token-create``; the '
    'first one is made at the first start).',
}


#: How deep a request body may nest (a stack template needs 4).
MAX_BODY_DEPTH = 32


def _read_body(req):
    """Read the body now: a body the server cannot read (a malformed
    chunked encoding, a client gone mid-body) is a 400, never a 500."""
    try:
        req.get_data(cache=True)
    except HTTPException:
        raise  # 413 too large, 400 client gone: werkzeug's own answers
    except Exception as exc:
        raise errors.BadRequest(
            'the body could not be read (%s): send it whole, as JSON'
            % type(exc).__name__,
            field='body',
            code='invalid_body',
        )


def _too_deep():
    return errors.BadRequest(
        'the body nests deeper than %d levels' % MAX_BODY_DEPTH,
        field='body',
        code='body_too_deep',
    )


def _depth(value):
    """How deep ``value`` nests (a scalar: 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_BODY_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def path_value_schema(converter):
    """The schema of a value in the URL's path: ids and names, bounded as
    access control bounds them."""
    return {'type': 'string', 'minLength': 1, 'maxLength': MAX_PATH_VALUE}


class _QueryArgs(dict):
    """A query string's first value of each parameter, and all of them for
    the parameters that take several (``getlist``)."""

    def __init__(self, args):
        super().__init__((key, args[key]) for key in args)
        self._args = args

    def getlist(self, key):
        return self._args.getlist(key)


#: How many distinct query strings each process keeps the parse of.
PARSED_QUERIES = 1024


def _copied(arguments):
    """A caller's own copy of parsed arguments (its lists too)."""
    return {
        name: list(value) if isinstance(value, list) else value
        for name, value in arguments.items()
    }


class RequestParser(FlaskParser):
    """Bodies and query strings against the route's schemas.

    A query string's parse depends on the schema and the string alone, so
    the parse of the strings seen last is kept (one ``Schema.load`` for
    the many reads of one page that a dashboard or a poller makes); a
    query that fails is parsed, and answered 400, every time.
    """

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = dict(
        FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, query=RAISE, json=RAISE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._queries = cachetools.LRUCache(PARSED_QUERIES)
        self._queries_lock = threading.Lock()

    def parse(self, argmap, req=None, *, location=None, **kwargs):
        if (
            location != 'query'
            or not isinstance(argmap, Schema)
            or kwargs.get('validate') is not None
        ):
            return super().parse(argmap, req, location=location, **kwargs)
        req = req if req is not None else self.get_default_request()
        # The schema itself, not its id: a key keeps its schema alive.
        key = (argmap, kwargs.get('unknown'), req.query_string)
        with self._queries_lock:
            parsed = self._queries.get(key)
        if parsed is None:
            parsed = super().parse(argmap, req, location=location, **kwargs)
            with self._queries_lock:
                self._queries[key] = _copied(parsed)
        return _copied(parsed)

    def load_querystring(self, req, schema):
        """The query string, read without werkzeug's exception per absent
        parameter (a schema's every field is looked up)."""
        return self._makeproxy(_QueryArgs(req.args), schema)

    def load_json(self, req, schema):
        """The JSON body; 415 when it is not JSON, 400 when malformed or
        nested deeper than :data:`MAX_BODY_DEPTH`.  The body read is kept
        as ``g.request_body`` (the audit trail reads it from there)."""
        if not req.is_json:
            raise errors.UnsupportedMediaType(
                'the body must be JSON (Content-Type: application/json)'
            )
        _read_body(req)
        try:
            body = req.get_json()
        except RecursionError:
            raise _too_deep()
        except (BadJSON, ValueError):
            raise errors.BadRequest(
                'the body is not valid JSON', code='invalid_json'
            )
        if _depth(body) > MAX_BODY_DEPTH:
            raise _too_deep()
        g.request_body = body
        return body

    def handle_error(
        self, error, req, schema, *, error_status_code, error_headers
    ):
        """The service's 400 naming the first field at fault."""
        ((location, messages),) = error.messages.items()
        if location == 'query':
            _unknown_parameters(messages, schema)
        raise validation.first_error(
            messages, validation.allowed_fields(schema)
        )


def _unknown_parameters(messages, schema):
    unknown = sorted(
        validation.shown(name)
        for name, problems in messages.items()
        if 'Unknown field.' in problems
    )
    if unknown:
        takes = sorted(validation.allowed_fields(schema)[()])
        raise errors.BadRequest(
            'unknown query parameter(s): %s; this route takes: %s'
            % (', '.join(unknown), ', '.join(takes) or 'none'),
            field=', '.join(unknown),
            code='unknown_parameter',
        )


def _documenting_only(decorator):
    """``decorator``, one of flask-smorest's that only documents a view
    (``doc``, ``alt_response``), without the pass-through call it wraps
    the view in: its documentation is put on the view itself."""

    def apply(view):
        view._apidoc = decorator(view)._apidoc
        return view

    return apply


class Blueprint(flask_smorest.Blueprint):
    """A blueprint whose routes declare their schemas and answers.

    Every route gets its ``operationId`` (the Flask endpoint) and, unless
    it is public, the answers of access control and its security
    requirement.  Documentation alone (``doc``, ``alt_response``) adds no
    call to a request.
    """

    ARGUMENTS_PARSER = RequestParser()

    @staticmethod
    def doc(**kwargs):
        return _documenting_only(flask_smorest.Blueprint.doc(**kwargs))

    def alt_response(self, *args, **kwargs):
        return _documenting_only(super().alt_response(*args, **kwargs))

    def route(self, rule, *, parameters=None, tags=None, **options):
        register = super().route(
            rule, parameters=parameters, tags=tags, **options
        )

        def decorator(view):
            endpoint = '%s.%s' % (
                self.name,
                options.get('endpoint', view.__name__),
            )
            extra = {'operationId': endpoint}
            if roles.is_public(endpoint):
                extra['security'] = []
            else:
                extra['security'] = [{'token': []}]
                view = self.errors(*ACCESS)(view)
            if view.__doc__:
                summary, _, description = inspect.cleandoc(
                    view.__doc__
                ).partition('\n\n')
                extra['summary'] = ' '.join(summary.split())
                if description.strip():
                    extra['description'] = description.strip()
            return register(self.doc(**extra)(view))

        return decorator

    def arguments(self, schema, **kwargs):
        """Declare a body or query schema; a body schema's ``EXAMPLE``
        is published as the body's example."""
        example = getattr(schema, 'EXAMPLE', None)
        if example is not None and kwargs.get('location', 'json') == 'json':
            kwargs.setdefault('example', example)
        if isinstance(schema, type):
            # One instance for every request (webargs makes one per
            # request of a class); loading keeps no state in it.
            schema = schema()
        return super().arguments(schema, **kwargs)

    def body_checked_by_service(self, schema):
        """Declare ``schema`` as the JSON body, which the service loads
        itself once it has found what the body is about (an unknown
        resource is a 404 whatever the body says).  The view gets the body
        as sent; 415 and malformed JSON are answered here."""
        parameters = {'in': 'json', 'required': True, 'schema': schema}
        if getattr(schema, 'EXAMPLE', None) is not None:
            parameters['example'] = schema.EXAMPLE

        def decorator(view):
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                body = self.ARGUMENTS_PARSER.load_json(request, schema)
                return view(*args, body, **kwargs)

            wrapper._apidoc = copy.deepcopy(getattr(view, '_apidoc', {}))
            documented = wrapper._apidoc.setdefault('arguments', {})
            documented.setdefault('parameters', []).append(parameters)
            documented.setdefault('responses', {})[400] = 'BAD_REQUEST'
            return wrapper

        return decorator

    def links(self, status, key, variable, *operations):
        """Declare that the ``status`` answer's ``key`` object is what
        ``operations`` (``(endpoint, method)``) take as ``variable``: the
        OpenAPI links a client or a test tool follows from a create."""
        parameters = {variable: '$response.body#/%s/%s' % key}
        if '<cloud_name>' in (self.url_prefix or ''):
            parameters['cloud_name'] = '$request.path.cloud_name'
        links = {
            '%s_%s' % (endpoint.replace('.', '_'), method): {
                'operationId': endpoint,
                'parameters': dict(parameters),
            }
            for endpoint, method in operations
        }
        return self.doc(responses={status: {'links': links}})

    def errors(self, *statuses):
        """Declare error answers, each with the one error body."""

        def decorator(view):
            for status in sorted(set(statuses), reverse=True):
                name = http.HTTPStatus(status).name
                view = self.alt_response(status, response=name)(view)
            return view

        return decorator


class ServiceApi(flask_smorest.Api):
    """The API of the service: its error answers, declared once."""

    ERROR_SCHEMA = Error
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_responses(self):
        self.spec.components.header('Retry-After', RETRY_AFTER)
        self.spec.components.header('X-Request-Id', REQUEST_ID)
        self.spec.components.security_scheme('token', SECURITY_SCHEME)
        self.spec.components.schema('Error', schema=self.ERROR_SCHEMA)
        for status, description in ERROR_DESCRIPTIONS.items():
            headers = (
                {'Retry-After': 'Retry-After'} if status in (429, 503) else {}
            )
            self.spec.components.response(
                http.HTTPStatus(status).name,
                {
                    'description': description,
                    'headers': {
                        name: {'$ref': '#/components/headers/%s' % ref}
                        for name, ref in headers.items()
                    },
                    'content': {
                        'application/json': {
                            'schema': {'$ref': '#/components/schemas/Error'}
                        }
                    },
                },
                lazy=True,
            )

    def _register_error_handlers(self):
        # The service renders every error itself (dispatcher.api).
        pass
