"""Bounds every route shares on what the URL carries.

Every value taken from the URL (path variables and query values) is
bounded in length before any route runs.  Which query parameters a route
takes, and what they may hold, its query schema says
(:mod:`dispatcher.api.schemas`).
"""

from flask import request

from dispatcher import errors
from dispatcher.services.validation import shown

#: Longest value of a path variable (ids, names).
MAX_PATH_VALUE = 255

#: Longest value of a query parameter (``cloud`` lists several names).
MAX_QUERY_VALUE = 1024


def check_path_values(view_args):
    """400 naming the first path variable longer than allowed."""
    for name, value in (view_args or {}).items():
        if isinstance(value, str) and len(value) > MAX_PATH_VALUE:
            raise errors.BadRequest(
                '%s is longer than %d characters' % (name, MAX_PATH_VALUE),
                field=name,
                code='invalid_field',
            )


def check_query():
    """400 naming the first overlong query value."""
    for name, value in request.args.items(multi=True):
        if len(value) > MAX_QUERY_VALUE:
            raise errors.BadRequest(
                '%s is longer than %d characters'
                % (shown(name), MAX_QUERY_VALUE),
                field=shown(name),
                code='invalid_field',
            )
