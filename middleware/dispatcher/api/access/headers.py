"""Safe response headers on every answer, and CORS when configured.

Every answer tells browsers not to sniff its type, frame it or send a
referrer; API answers are not to be cached (they may hold inventory), and
JSON ones may load nothing (``Content-Security-Policy: default-src
'none'``).  The documentation pages under ``/docs/`` keep their own
caching and scripts.

Cross-origin requests from browsers are refused unless ``CORS_ORIGINS``
lists the origin (or holds ``*``): then preflight requests are answered
without a token and answers carry ``Access-Control-Allow-Origin``.
"""

from flask import current_app, make_response, request

EXTENSION = 'dispatcher.cors_origins'

SECURITY_HEADERS = {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
}

JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"

#: What a browser may send and read cross-origin.
CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE'
CORS_REQUEST_HEADERS = (
    'Content-Type, X-Auth-Token, X-Request-Id, Idempotency-Key'
)
CORS_EXPOSED_HEADERS = 'Location, Retry-After, X-Request-Id'
CORS_MAX_AGE = '600'


def parse_origins(value):
    """``CORS_ORIGINS`` as a set: a list, or a comma-separated string."""
    if not value:
        return frozenset()
    if isinstance(value, str):
        value = value.split(',')
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise ValueError(
            'CORS_ORIGINS must be a list of origins, e.g. '
            '["https://dashboard.example.com"]'
        )
    return frozenset(
        str(v).strip().rstrip('/') for v in value if str(v).strip()
    )


def _allowed_origin(req, allowed):
    """The request's ``Origin`` when ``allowed`` (the configured origins)
    lets it in, else ``None``."""
    origin = req.headers.get('Origin')
    if origin and ('*' in allowed or origin in allowed):
        return origin
    return None


def _origins():
    return current_app.extensions.get(EXTENSION) or frozenset()


def is_preflight():
    """Whether the request is a CORS preflight."""
    return (
        request.method == 'OPTIONS'
        and 'Origin' in request.headers
        and 'Access-Control-Request-Method' in request.headers
    )


def answer_preflight():
    """The answer to an allowed origin's preflight, or ``None``."""
    if not is_preflight():
        return None
    if _allowed_origin(request, _origins()) is None:
        return None
    response = make_response('', 204)
    response.headers['Access-Control-Allow-Methods'] = CORS_METHODS
    response.headers['Access-Control-Allow-Headers'] = CORS_REQUEST_HEADERS
    response.headers['Access-Control-Max-Age'] = CORS_MAX_AGE
    return response


def answer_options():
    """A plain ``OPTIONS`` (not a CORS preflight): ``204`` with ``Allow``,
    or ``None`` for a path no route serves (its 404 follows)."""
    if request.method != 'OPTIONS':
        return None
    adapter = current_app.url_map.bind_to_environ(request.environ)
    methods = adapter.allowed_methods()
    if not methods:
        return None
    response = make_response('', 204)
    response.headers['Allow'] = ', '.join(sorted(methods))
    return response


def add_headers(response):
    """The security headers, and the CORS ones for an allowed origin."""
    req = request._get_current_object()
    headers = response.headers
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    if not req.path.startswith('/docs/'):
        headers['Cache-Control'] = 'no-store'
    if response.mimetype == 'application/json':
        headers['Content-Security-Policy'] = JSON_POLICY
    allowed = _origins()
    if allowed:
        origin = _allowed_origin(req, allowed)
        if origin is not None:
            headers['Access-Control-Allow-Origin'] = origin
            headers['Access-Control-Expose-Headers'] = CORS_EXPOSED_HEADERS
        response.vary.add('Origin')
    return response
