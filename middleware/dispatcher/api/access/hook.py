"""The checks before every request, and the audit record after it.

Before a request reaches its view, in this order:

1. a CORS preflight from an allowed origin is answered (no token needed);
2. with authentication off, a client on another machine is refused (403
   ``local_only``) and any other is served as an anonymous admin;
3. a public route (:data:`~.roles.PUBLIC_ENDPOINTS`) is served as is;
4. the ``X-Auth-Token`` is checked: missing, unknown, expired or revoked
   is 401, before anything else is looked at (an unknown route too);
5. the token's rate limit is applied (429 with ``Retry-After``);
6. a cloud in the URL that the token may not see is 404
   ``cloud_not_found``, as if it were not in the farm;
7. the token's role must allow the route and method (403);
8. path values and query parameters are checked (400 naming them).

After a request that changes something (any method but ``GET``, ``HEAD``
and ``OPTIONS``) by a known caller, whatever its outcome, an audit event
records who, what, where and the answer's status.
"""

import logging
import math
import posixpath
import re
import urllib.parse

from flask import current_app, g, request
from werkzeug.routing import RequestRedirect

from dispatcher import errors
from dispatcher.api.access import headers, inputs, is_loopback
from dispatcher.api.common import services
from dispatcher.policy import roles
from dispatcher.policy.principal import ANONYMOUS, NOBODY
from dispatcher.services.farm import cloud_not_found

LOG = logging.getLogger(__name__)

#: The header carrying the token.
TOKEN_HEADER = 'X-Auth-Token'

LIMITER = 'dispatcher.rate_limiter'

#: Failed authentications by client address.
FAILURES = 'dispatcher.auth_failures'

#: An action named in a body (``{"action": "reboot"}``), kept in the audit.
_ACTION_NAME = re.compile(r'^[a-z_]{1,32}$')


def _authenticate(req, app, endpoint):
    if not app.config['AUTH_ENABLED']:
        if not is_loopback(req.remote_addr or ''):
            raise errors.Forbidden(
                'authentication is off on this service: only clients on '
                'its own machine may call it',
                code='local_only',
            )
        return ANONYMOUS
    if roles.is_public(endpoint, app.config):
        return NOBODY
    failures = app.extensions[FAILURES]
    address = req.remote_addr or '-'
    wait = failures.waiting(address)
    if wait:
        raise errors.RateLimited(
            'too many failed authentications from this address; retry '
            'after the Retry-After seconds',
            retry_after=max(1, math.ceil(wait)),
            code='too_many_failures',
        )
    try:
        return services().authenticate(req.headers.get(TOKEN_HEADER))
    except errors.Unauthorized:
        failures.take(address)
        raise


def before_request():
    """Authenticate, limit, scope and authorise the request."""
    # The request and the app once, not through their proxies each time.
    req = request._get_current_object()
    app = current_app._get_current_object()
    preflight = headers.answer_preflight()
    if preflight is not None:
        return preflight
    if isinstance(req.routing_exception, RequestRedirect):
        return None  # a redirect (``/docs`` to ``/docs/``) needs no token
    endpoint = req.endpoint
    principal = g.principal = _authenticate(req, app, endpoint)
    if roles.is_public(endpoint, app.config):
        return headers.answer_options()
    if principal.token_id is not None:
        app.extensions[LIMITER].check(principal.token_id)
    if endpoint is None:
        return None  # no such route: 404 or 405 follows
    view_args = req.view_args or {}
    cloud_name = view_args.get('cloud_name')
    if cloud_name is not None and not principal.may_see(cloud_name):
        raise cloud_not_found(cloud_name)
    if not roles.allows(principal.role, endpoint, req.method):
        raise errors.Forbidden(
            'a %s token may not %s %s (it needs the %s role)'
            % (
                principal.role,
                req.method,
                req.url_rule.rule,
                roles.PERMISSIONS[
                    roles.required_permission(endpoint, req.method)
                ],
            )
        )
    options = headers.answer_options()
    if options is not None:
        return options
    inputs.check_path_values(view_args)
    inputs.check_query()
    if req.method not in roles.READ_METHODS:
        _begin_event(principal, view_args)
    return None


def _begin_event(principal, view_args):
    """Record the change before it is made; refuse it (503) when its event
    cannot be stored."""
    try:
        g.audit_event = services().begin_event(
            principal=principal,
            method=request.method,
            route=request.url_rule.rule,
            path=request.path,
            action=request.endpoint,
            cloud=view_args.get('cloud_name'),
            request_id=g.get('request_id'),
        )
    except Exception:
        LOG.exception(
            'the audit event of %s %s could not be stored; the change is '
            'refused',
            request.method,
            request.path,
        )
        raise errors.MiddlewareError(
            'the change was refused: the audit trail cannot record it now; '
            'try again later',
            status=503,
            code='audit_unavailable',
            headers={
                'Retry-After': str(errors.DatabaseUnavailable.RETRY_AFTER)
            },
        )


def _resource_id(response, view_args):
    location = response.headers.get('Location')
    if request.method == 'POST' and location and response.status_code < 300:
        path = urllib.parse.urlsplit(location).path
        return urllib.parse.unquote(posixpath.basename(path.rstrip('/')))
    values = [v for k, v in view_args.items() if k != 'cloud_name']
    return str(values[-1]) if values else None


def _action():
    # The body as the route read it: the audit never parses a body again.
    action = request.endpoint
    body = g.get('request_body')
    if (
        isinstance(body, dict)
        and isinstance(body.get('action'), str)
        and _ACTION_NAME.match(body['action'])
    ):
        action = '%s:%s' % (action, body['action'])
    return action


def record_mutation(response):
    """The audit event of a request that changes something."""
    if request.method in roles.READ_METHODS:
        return response
    principal = g.get('principal')
    if request.url_rule is None or principal is None or principal is NOBODY:
        return response
    view_args = request.view_args or {}
    event_id = g.get('audit_event')
    try:
        if event_id is not None:
            services().finish_event(
                event_id,
                response.status_code,
                action=_action(),
                resource_id=_resource_id(response, view_args),
            )
            return response
        services().record_event(
            principal=principal,
            method=request.method,
            route=request.url_rule.rule,
            path=request.path,
            action=_action(),
            status=response.status_code,
            cloud=view_args.get('cloud_name'),
            resource_id=_resource_id(response, view_args),
            request_id=g.get('request_id'),
        )
    except Exception:
        LOG.exception(
            'the audit event of %s %s could not be stored',
            request.method,
            request.path,
        )
    return response
