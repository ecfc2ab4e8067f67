"""Who may do what: roles, and the permission each route requires.

Three roles, each with everything of the one before:

``reader``
    reads: every ``GET`` of the API.
``operator``
    also changes things: creates, acts on and deletes nodes, key pairs,
    volumes and stacks, cancels jobs (every other method).
``admin``
    also manages tokens and reads the audit trail (the ``tokens`` and
    ``events`` routes, whatever the method).

A few routes need no token at all (:data:`PUBLIC_ENDPOINTS`): version
discovery, liveness, the OpenAPI document and the documentation pages.
"""

#: The roles, each with everything of the one before.
ROLES = ('reader', 'operator', 'admin')

#: Endpoints served without a token.
PUBLIC_ENDPOINTS = frozenset(
    {
        'root.index',
        'root.healthz',
        'openapi.openapi_document',
        'docs_site.docs_index',
        'docs_site.docs_file',
    }
)

#: Blueprints whose every route is for admins.
ADMIN_BLUEPRINTS = frozenset({'tokens', 'events'})

#: Methods that only read.
READ_METHODS = frozenset({'GET', 'HEAD', 'OPTIONS'})

#: The role a permission needs.
PERMISSIONS = {'read': 'reader', 'operate': 'operator', 'admin': 'admin'}


#: Endpoints served without a token when a setting says so.
PUBLIC_IF_SET = {'prometheus.prometheus_metrics': 'METRICS_PUBLIC'}


def is_public(endpoint, settings=None):
    """Whether ``endpoint`` is served without a token (``settings``: the
    app's, for the endpoints an operator may open)."""
    if endpoint in PUBLIC_ENDPOINTS:
        return True
    setting = PUBLIC_IF_SET.get(endpoint)
    return bool(setting and settings and settings.get(setting))


def required_permission(endpoint, method):
    """``read``, ``operate`` or ``admin``: what ``method`` on ``endpoint``
    needs (``None`` for a public endpoint)."""
    if is_public(endpoint):
        return None
    if endpoint and endpoint.partition('.')[0] in ADMIN_BLUEPRINTS:
        return 'admin'
    return 'read' if method in READ_METHODS else 'operate'


def has_role(role, needed_role):
    """Whether ``role`` includes ``needed_role``."""
    if role not in ROLES or needed_role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(needed_role)


def allows(role, endpoint, method):
    """Whether a token of ``role`` may call ``method`` on ``endpoint``."""
    permission = required_permission(endpoint, method)
    return permission is None or has_role(role, PERMISSIONS[permission])
