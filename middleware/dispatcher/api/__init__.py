"""The HTTP layer: blueprints, request ids and the one error handler.

The blueprints are registered through :class:`~.framework.ServiceApi`
(flask-smorest), which builds the OpenAPI document from the schemas they
declare.
"""

import logging
import re
import time
import uuid

from flask import g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import PathConverter, UnicodeConverter

import dispatcher
from dispatcher import errors, metrics, services
from dispatcher.api import (
    catalogue,
    clouds,
    docs_site,
    events,
    inventory,
    jobs,
    key_pairs,
    nodes,
    openapi,
    prometheus,
    providers,
    root,
    stacks,
    tokens,
    volumes,
)
from dispatcher.api.framework import ServiceApi, path_value_schema
from dispatcher.context import REQUEST_ID

LOG = logging.getLogger('dispatcher.api')

#: Where the app keeps its :class:`~.framework.ServiceApi`.
API = 'dispatcher.api'

#: What the OpenAPI document says of the service.
API_SETTINGS = {
    'API_TITLE': 'Multi-cloud orchestration middleware',
    'API_VERSION': dispatcher.__version__,
    'OPENAPI_VERSION': '3.1.0',
    'API_SPEC_OPTIONS': {
        'info': {
            'description': 'One JSON API over every cloud Apache Libcloud can '
            'drive.'
        }
    },
}

BLUEPRINTS = (
    root.bp,
    prometheus.bp,
    providers.bp,
    clouds.bp,
    nodes.bp,
    catalogue.bp,
    key_pairs.bp,
    volumes.bp,
    inventory.bp,
    openapi.bp,
    docs_site.bp,
    jobs.bp,
    stacks.bp,
    tokens.bp,
    events.bp,
)

#: A client's ``X-Request-Id`` is kept only when it is a UUID or 8 to 32
#: hex digits: anything else (a token pasted by mistake, text for a log
#: line) is replaced by the service's own id, so it never reaches a log or
#: the audit trail.
_REQUEST_ID = re.compile(
    r'[0-9a-fA-F]{8,32}'
    r'|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
    r'[0-9a-fA-F]{12}'
)

_HTTP_CODES = {
    400: errors.BadRequest,
    404: errors.NotFound,
    405: errors.MethodNotAllowed,
    413: errors.PayloadTooLarge,
    415: errors.UnsupportedMediaType,
}


def _start_request():
    given = request.headers.get('X-Request-Id', '')
    request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    REQUEST_ID.set(request_id)
    state = g._get_current_object()
    state.request_id = request_id
    state.started = time.monotonic()


def _finish_request(response):
    # The request and its globals once, not through their proxies each time.
    req = request._get_current_object()
    state = g._get_current_object()
    response.headers['X-Request-Id'] = state.get('request_id', '')
    elapsed = time.monotonic() - state.get('started', time.monotonic())
    route = req.url_rule.rule if req.url_rule else '(no route)'
    method, status = req.method, response.status_code
    metrics.REQUESTS.labels(method, route, str(status)).inc()
    metrics.REQUEST_SECONDS.labels(method, route).observe(elapsed)
    if LOG.isEnabledFor(logging.INFO):
        LOG.info('%s %s %s %.1fms', method, req.path, status, elapsed * 1000)
    return response


def render_error(error):
    """The one shape of every failure: ``{"error": {...}}``."""
    response = jsonify({'error': error.to_dict(g.get('request_id'))})
    response.status_code = error.status
    for name, value in error.headers.items():
        response.headers[name] = value
    return response


def _http_error(exc):
    """werkzeug's HTTP errors (unknown route, method, range...) in our shape.

    Their own headers (``Allow`` on a 405, ``Content-Range`` on a 416) are
    kept; the code of a status without a class of its own is the status's
    name (``range_not_satisfiable``).
    """
    if exc.code is not None and 300 <= exc.code < 400:
        # werkzeug's redirects (``/docs`` to ``/docs/``) stay redirects.
        return exc.get_response()
    error_class = _HTTP_CODES.get(exc.code)
    code = None
    if error_class is None:
        error_class = errors.MiddlewareError
        code = re.sub(r'[^a-z0-9]+', '_', (exc.name or 'error').lower())
    message = exc.description or exc.name
    if exc.code == 404:
        message = 'no such route: %s' % request.path
    elif exc.code == 413:
        message = 'the body is larger than the service accepts'
    headers = {
        name: value
        for name, value in exc.get_headers()
        if name.lower() != 'content-type'
    }
    return render_error(
        error_class(message, status=exc.code, code=code, headers=headers)
    )


def _database_error(exc):
    """The service's database failed under the request: a 503 the client
    may retry, and one log line naming the failure (never the statement,
    its parameters or the database's address).  Any other error of the
    database (a statement that is wrong) is the service's own: a 500."""
    if not services.database_unavailable(exc):
        return _unexpected_error(exc)
    reason = getattr(exc, 'orig', None) or exc
    LOG.warning(
        'the database failed in %s %s: %s: %s',
        request.method,
        request.path,
        type(reason).__name__,
        str(reason).strip().split('\n', 1)[0][:200],
    )
    return render_error(errors.DatabaseUnavailable())


def _unexpected_error(exc):
    LOG.exception('unexpected error in %s %s', request.method, request.path)
    return render_error(
        errors.MiddlewareError(
            'internal error; quote the request id when reporting it'
        )
    )


def init_app(app):
    """Register the blueprints, request-id hooks and error handlers."""
    for name, value in API_SETTINGS.items():
        app.config.setdefault(name, value)
    api = ServiceApi(app)
    api.register_converter(UnicodeConverter, path_value_schema)
    api.register_converter(PathConverter, path_value_schema)
    app.extensions[API] = api
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.register_error_handler(errors.MiddlewareError, render_error)
    app.register_error_handler(HTTPException, _http_error)
    # A connection refused or lost, no free connection in the pool, a
    # busy SQLite file: the database's state, not the service's fault.
    for failure in services.DATABASE_ERRORS:
        app.register_error_handler(failure, _database_error)
    app.register_error_handler(Exception, _unexpected_error)
