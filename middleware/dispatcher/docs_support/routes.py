"""The routes of an application, with what their code and docstring say.

:func:`iter_routes` walks ``app.url_map`` (one :class:`Route` per method and
rule) and is what the OpenAPI document, the documentation tests and the
browser test agree on as "every route of the app".
"""

import collections
import re
import types

from dispatcher.docs_support import docstrings

#: Methods every route answers implicitly; not documented per route.
IMPLICIT_METHODS = ('HEAD', 'OPTIONS')

_VARIABLE = re.compile(r'<(?:(?P<converter>[a-zA-Z_]\w*)(?:\((?P<args>.*?)\))?:)?'
                       r'(?P<name>[a-zA-Z_]\w*)>')

PathVariable = collections.namedtuple('PathVariable', 'name converter')


class Route(object):
    """One method of one URL rule.

    :ivar method: ``GET``, ``POST``, ...
    :ivar rule: the werkzeug rule, e.g. ``/v1/clouds/<cloud_name>``.
    :ivar endpoint: ``blueprint.function``.
    :ivar view: the view function.
    :ivar doc: its parsed docstring (:class:`~.docstrings.RouteDoc`).
    """

    def __init__(self, method, rule, endpoint, view):
        self.method = method
        self.rule = rule
        self.endpoint = endpoint
        self.view = view
        self.docstring = view.__doc__ or ''
        self.doc = docstrings.parse(self.docstring)

    @property
    def openapi_path(self):
        """The rule as an OpenAPI path template: ``/v1/clouds/{cloud_name}``."""
        return _VARIABLE.sub(lambda m: '{%s}' % m.group('name'), self.rule)

    @property
    def variables(self):
        """The rule's variables, in order, with their converters."""
        return [PathVariable(m.group('name'), m.group('converter') or 'default')
                for m in _VARIABLE.finditer(self.rule)]

    def referenced_globals(self):
        """Objects the view's code names: globals and module attributes."""
        code = self.view.__code__
        scope = self.view.__globals__
        found = []
        modules = [v for v in scope.values() if isinstance(v, types.ModuleType)]
        for name in code.co_names:
            if name in scope:
                found.append(scope[name])
            for module in modules:
                if name in vars(module):
                    found.append(vars(module)[name])
        return found

    def body_schema(self):
        """The JSON schema the view validates its body against, or ``None``.

        Found in the view's code (``json_body(schemas.NODE_CREATE)``), so
        the published schema is the one the route really applies.
        """
        schemas = [value for value in self.referenced_globals()
                   if isinstance(value, dict) and value.get('type') == 'object'
                   and isinstance(value.get('properties'), dict)]
        unique = []
        for schema in schemas:
            if not any(schema is seen for seen in unique):
                unique.append(schema)
        return unique[0] if len(unique) == 1 else None

    def reads_json_body(self):
        """Whether the view reads a JSON body (and so may answer 413/415)."""
        return 'json_body' in self.view.__code__.co_names

    def __repr__(self):
        return '<Route %s %s>' % (self.method, self.rule)


def iter_routes(app):
    """Every documented-able route of ``app``, sorted by rule and method.

    Flask's ``static`` endpoint and the implicit ``HEAD``/``OPTIONS``
    methods are left out.
    """
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == 'static':
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - set(IMPLICIT_METHODS)):
            routes.append(Route(method, rule.rule, rule.endpoint, view))
    order = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')
    routes.sort(key=lambda r: (r.rule, order.index(r.method)
                               if r.method in order else len(order)))
    return routes
