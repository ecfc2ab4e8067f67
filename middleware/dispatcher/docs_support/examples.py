"""What the docstrings' examples tell beyond themselves.

An example request names real values of the route's parameters; an example
answer's ``Location`` names the route of the created resource, and its body
holds the values that route needs.  The OpenAPI document publishes both
(parameter examples, and links from a create to the operations on what it
created), so a client or a test tool can follow them.
"""

from urllib.parse import parse_qsl, urlsplit

from werkzeug.exceptions import HTTPException


def example_arguments(app, route):
    """Path and query values of the route's example request, by name."""
    example = route.doc.example('request')
    if example is None:
        return {}
    target = urlsplit(example.target)
    adapter = app.url_map.bind('localhost')
    try:
        endpoint, values = adapter.match(target.path, route.method)
    except HTTPException:
        return {}
    if endpoint != route.endpoint:
        return {}
    values = dict(values)
    values.update(parse_qsl(target.query))
    return values


def _json_pointer(document, value, path=''):
    """The JSON pointer of the first place ``value`` appears in ``document``."""
    if document == value and path:
        return path
    items = (document.items() if isinstance(document, dict) else
             enumerate(document) if isinstance(document, list) else ())
    for key, item in items:
        found = _json_pointer(item, value, '%s/%s' % (path, key))
        if found:
            return found
    return None


def links_from(app, route, routes, status):
    """Links from a created resource to the operations on it.

    Found from the example answer: its ``Location`` names a route, and the
    example body holds the values of that route's variables.
    """
    example = route.doc.example('response', status)
    location = example.headers.get('Location') if example else None
    if not location:
        return {}
    try:
        endpoint, values = app.url_map.bind('localhost').match(
            urlsplit(location).path, 'GET')
    except HTTPException:
        return {}
    target_rule = next(r.rule for r in routes if r.endpoint == endpoint)
    mine = {v.name for v in route.variables}
    parameters = {}
    for name, value in values.items():
        if name in mine:
            parameters[name] = '$request.path.%s' % name
        else:
            pointer = _json_pointer(example.body, value)
            if pointer is None:
                return {}
            parameters[name] = '$response.body#%s' % pointer
    links = {}
    for other in routes:
        if other.rule == target_rule or (
                other.rule.startswith(target_rule + '/')
                and {v.name for v in other.variables} == set(values)):
            links[other.endpoint.replace('.', '_') + '_' +
                  other.method.lower()] = {'operationId': other.endpoint,
                                           'parameters': parameters}
    return links
