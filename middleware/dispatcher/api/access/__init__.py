"""Access control over HTTP: tokens, roles, per-cloud scope, audit, headers.

The policy itself (who may do what) is :mod:`dispatcher.policy`; this is
where a request meets it.

:func:`init_app` turns it on for an app: every route but version
discovery, liveness, the OpenAPI document and the documentation needs an
``X-Auth-Token``; each token has a role (``reader``, ``operator``,
``admin``) and may be limited to some clouds; every change is recorded in
the audit trail; answers carry safe headers; each token is rate limited.

``AUTH_ENABLED = False`` (``MW_AUTH_ENABLED=false``) turns authentication
off for local development: every request from this machine is then served
as an anonymous admin, ``mw serve`` and ``runserver.py`` listen on the
loopback address only, and a request from any other address (a server
bound elsewhere by hand) is refused with 403.
"""

import ipaddress
import logging

from flask import g, has_request_context

from dispatcher.policy.principal import NOBODY, SERVICE

LOG = logging.getLogger(__name__)

#: Where the service listens when authentication is off.
LOOPBACK = '127.0.0.1'

_FALSE = ('0', 'false', 'no', 'off')
_TRUE = ('1', 'true', 'yes', 'on')


def current_principal():
    """The principal of the current request.

    In a request whose token was not checked (a public route) it is
    :data:`~dispatcher.policy.principal.NOBODY`, which sees no cloud;
    outside a request it is :data:`~dispatcher.policy.principal.SERVICE`.
    """
    if has_request_context():
        return g.get('principal') or NOBODY
    return SERVICE


def auth_enabled(config):
    """``AUTH_ENABLED`` of the settings as a boolean.

    :raises dispatcher.config.SettingsError: a value that is not a boolean.
    """
    from dispatcher.config import SettingsError

    value = config.get('AUTH_ENABLED', True)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _FALSE:
        return False
    if text in _TRUE:
        return True
    raise SettingsError(
        'AUTH_ENABLED must be true or false, got %r' % (value,)
    )


def is_loopback(host):
    """Whether ``host`` is a loopback address (or ``localhost``)."""
    if str(host).strip().lower() == 'localhost':
        return True
    try:
        address = ipaddress.ip_address(str(host).strip('[]'))
    except ValueError:
        return False
    return address.is_loopback or bool(
        getattr(address, 'ipv4_mapped', None)
        and address.ipv4_mapped.is_loopback
    )


def serving_host(config, host):
    """The address to listen on: ``host``, or the loopback address when
    authentication is off and ``host`` is not one (said in the log)."""
    if auth_enabled(config) or is_loopback(host):
        return host
    LOG.warning(
        'authentication is off (AUTH_ENABLED = False): listening '
        'on %s only, not on %s',
        LOOPBACK,
        host,
    )
    return LOOPBACK


def _rate_limit(config, name='RATE_LIMIT_PER_MINUTE'):
    from dispatcher.config import SettingsError

    value = config.get(name, 0)
    try:
        value = float(value or 0)
    except (TypeError, ValueError):
        value = -1
    if value < 0:
        raise SettingsError(
            '%s must be a number of requests (0: no limit), got %r'
            % (name, config.get(name))
        )
    return value


def init_app(app):
    """Turn access control on for ``app`` (its database must be open)."""
    from dispatcher.api.access import headers, hook
    from dispatcher.api.access.ratelimit import RateLimiter
    from dispatcher.config import SettingsError
    from dispatcher.services import firstrun

    enabled = auth_enabled(app.config)
    app.config['AUTH_ENABLED'] = enabled
    app.extensions[hook.LIMITER] = RateLimiter(_rate_limit(app.config))
    app.extensions[hook.FAILURES] = RateLimiter(
        _rate_limit(app.config, 'AUTH_FAILURES_PER_MINUTE')
    )
    try:
        app.extensions[headers.EXTENSION] = headers.parse_origins(
            app.config.get('CORS_ORIGINS')
        )
    except ValueError as exc:
        raise SettingsError(str(exc))
    app.before_request(hook.before_request)
    app.after_request(hook.record_mutation)
    app.after_request(headers.add_headers)
    if enabled:
        firstrun.ensure_first_token(app)
    else:
        LOG.warning(
            'authentication is OFF (AUTH_ENABLED = False): every '
            'request is served as an admin without a token; for '
            'local development only'
        )
        app.config['HOST'] = serving_host(
            app.config, app.config.get('HOST', LOOPBACK)
        )
