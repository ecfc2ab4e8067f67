"""What the access-control checks add to the routes' own description.

Access control (:mod:`dispatcher.auth`) runs before every route but the
public ones: it checks the token (401), the token's rate limit (429), its
role (403) and the query parameters and path values (400).  These answers
belong to no route in particular, so the routes' docstrings do not repeat
them; the OpenAPI document adds them to every route the checks apply to,
read from the application as it is configured.
"""

HOOK_MODULE = 'dispatcher.auth.hook'

#: Answers the checks may give, by status, for a protected route.
TOKEN_ANSWERS = {
    401: 'no ``X-Auth-Token``, or a token the service does not accept '
         '(unknown, expired or revoked).',
    403: "the token's role does not allow this route and method.",
}
RATE_ANSWER = ("the caller's rate limit is spent (``Retry-After`` says when "
               "to retry).")
INPUT_ANSWER = ('a query parameter the route does not take, or a path or '
                'query value longer than the service accepts (``field`` '
                'names it).')

SECURITY_SCHEME = {'type': 'apiKey', 'in': 'header', 'name': 'X-Auth-Token',
                   'description': 'An API token (``mw token-create``; the '
                                  'first one is made at the first start).'}


class AccessControl(object):
    """The checks as installed on one application.

    :ivar installed: whether the application runs the checks at all.
    :ivar tokens: whether a token is needed (``AUTH_ENABLED``).
    :ivar rate_limited: whether callers are rate limited.
    """

    def __init__(self, app):
        hooks = app.before_request_funcs.get(None, [])
        self.installed = any(getattr(f, '__module__', None) == HOOK_MODULE
                             for f in hooks)
        self.tokens = self.rate_limited = False
        self.max_path_value = self.max_query_value = None
        if self.installed:
            from dispatcher.auth import auth_enabled, hook, inputs, roles
            self.tokens = auth_enabled(app.config)
            limiter = app.extensions.get(hook.LIMITER)
            self.rate_limited = bool(limiter is not None and limiter.enabled)
            self._is_public = roles.is_public
            self.max_path_value = inputs.MAX_PATH_VALUE
            self.max_query_value = inputs.MAX_QUERY_VALUE

    def applies_to(self, route):
        """Whether the checks run before ``route``."""
        return self.installed and not self._is_public(route.endpoint)

    def answers(self, route):
        """``{status: description}`` the checks may give for ``route``."""
        if not self.applies_to(route):
            return {}
        result = {400: INPUT_ANSWER}
        if self.tokens:
            result.update(TOKEN_ANSWERS)
        if self.rate_limited:
            result[429] = RATE_ANSWER
        return result

    def security(self, route):
        """The operation's ``security``: ``[]`` when no token is needed."""
        if not self.tokens:
            return None
        return [{'token': []}] if self.applies_to(route) else []
