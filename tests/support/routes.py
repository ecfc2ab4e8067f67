"""Every route of an application, with what its OpenAPI operation says.

What the policy, input-safety and documentation tests agree on as "every
route of the app": one :class:`Route` per method and URL rule (Flask's
``static`` endpoint and the implicit ``HEAD``/``OPTIONS`` left out), each
with the operation the generated OpenAPI document holds for it.
"""

import re

from dispatcher.api.openapi import build_document

IMPLICIT_METHODS = ('HEAD', 'OPTIONS')

_VARIABLE = re.compile(
    r'<(?:(?P<converter>[a-zA-Z_]\w*)(?:\(.*?\))?:)?'
    r'(?P<name>[a-zA-Z_]\w*)>'
)


class Route(object):
    """One method of one URL rule, and its OpenAPI operation."""

    def __init__(self, method, rule, endpoint, operation):
        self.method = method
        self.rule = rule
        self.endpoint = endpoint
        self.operation = operation or {}

    @property
    def openapi_path(self):
        return _VARIABLE.sub(lambda m: '{%s}' % m.group('name'), self.rule)

    @property
    def variables(self):
        """The names of the rule's variables, in order."""
        return [m.group('name') for m in _VARIABLE.finditer(self.rule)]

    def query_parameters(self):
        """The names of the query parameters the route declares."""
        return [
            p['name']
            for p in self.operation.get('parameters', [])
            if p['in'] == 'query'
        ]

    def reads_json_body(self):
        """Whether the route declares a JSON body."""
        return 'application/json' in self.operation.get('requestBody', {}).get(
            'content', {}
        )

    def __repr__(self):
        return '<Route %s %s>' % (self.method, self.rule)


def resolve(node, document):
    """``node`` with every local ``$ref`` replaced by what it points to."""
    if isinstance(node, dict):
        if '$ref' in node:
            target = document
            for part in node['$ref'].lstrip('#/').split('/'):
                target = target[part]
            return resolve(target, document)
        return {key: resolve(value, document) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(value, document) for value in node]
    return node


def iter_routes(app):
    """Every route of ``app``, sorted by rule and method."""
    with app.app_context():
        paths = build_document(app)['paths']
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == 'static':
            continue
        for method in sorted(rule.methods - set(IMPLICIT_METHODS)):
            route = Route(method, rule.rule, rule.endpoint, None)
            route.operation = paths.get(route.openapi_path, {}).get(
                method.lower()
            )
            routes.append(route)
    order = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')
    routes.sort(key=lambda r: (r.rule, order.index(r.method)))
    return routes
