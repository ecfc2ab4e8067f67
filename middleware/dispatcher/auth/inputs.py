"""Input checks every route shares: query parameters and URL values.

A ``GET`` route accepts only the query parameters its docstring documents
(``:query limit: ...``): the route's documentation is its contract, and a
misspelt filter (``?stat=running``) is a 400 naming it rather than an
unfiltered list.  Every value taken from the URL (path variables and query
values) is bounded in length.
"""

from flask import current_app, request

from dispatcher import errors
from dispatcher.docs_support import docstrings

EXTENSION = 'dispatcher.query_parameters'

#: Longest value of a path variable (ids, names).
MAX_PATH_VALUE = 255

#: Longest value of a query parameter (``cloud`` lists several names).
MAX_QUERY_VALUE = 1024

#: Longest parameter name repeated in an error message.
MAX_ECHOED_NAME = 64


def _shown(name):
    return name if len(name) <= MAX_ECHOED_NAME else \
        name[:MAX_ECHOED_NAME] + '...'


def documented_parameters(endpoint):
    """The query parameter names the view of ``endpoint`` documents."""
    known = current_app.extensions.setdefault(EXTENSION, {})
    if endpoint not in known:
        view = current_app.view_functions[endpoint]
        known[endpoint] = frozenset(
            field.name for field in
            docstrings.parse(view.__doc__).of_kind('query'))
    return known[endpoint]


def check_path_values(view_args):
    """400 naming the first path variable longer than allowed."""
    for name, value in (view_args or {}).items():
        if isinstance(value, str) and len(value) > MAX_PATH_VALUE:
            raise errors.BadRequest(
                "%s is longer than %d characters" % (name, MAX_PATH_VALUE),
                field=name, code='invalid_field')


def check_query(endpoint):
    """400 naming unknown (on ``GET``) or overlong query parameters."""
    if request.method in ('GET', 'HEAD'):
        allowed = documented_parameters(endpoint)
        unknown = sorted(_shown(name) for name in
                         set(request.args) - allowed)
        if unknown:
            raise errors.BadRequest(
                "unknown query parameter(s): %s; this route takes: %s"
                % (', '.join(unknown), ', '.join(sorted(allowed)) or 'none'),
                field=', '.join(unknown), code='unknown_parameter')
    for name, value in request.args.items(multi=True):
        if len(value) > MAX_QUERY_VALUE:
            raise errors.BadRequest(
                "%s is longer than %d characters"
                % (_shown(name), MAX_QUERY_VALUE),
                field=_shown(name), code='invalid_field')
