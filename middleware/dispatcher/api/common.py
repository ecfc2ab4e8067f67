"""What every blueprint needs: the farm, bodies, pages, answers."""

from flask import current_app, jsonify, request

from dispatcher import errors
from dispatcher.api.schemas import validate
from dispatcher.auth.scope import current_principal
from dispatcher.services import pagination
from dispatcher.services.farm import EXTENSION


def farm():
    """The app's :class:`~dispatcher.services.farm.Farm`, as the caller
    sees it: a token limited to some clouds sees only those."""
    return current_app.extensions[EXTENSION].restricted_to(
        current_principal().clouds)


def cloud(name):
    """The cloud named in the URL, or 404."""
    return farm().get(name)


def json_body(schema):
    """The request's JSON body, validated; 415 if not JSON, 400 if bad."""
    if not request.is_json:
        raise errors.UnsupportedMediaType(
            "the body must be JSON (Content-Type: application/json)")
    body = request.get_json(silent=True)
    if body is None:
        raise errors.BadRequest("the body is not valid JSON",
                                code='invalid_json')
    return validate(body, schema)


def page(items, key=lambda item: item['id'], **filters):
    """``(page, next_marker)`` after the request's filters and pagination."""
    items = pagination.filter_items(
        items, **{name: request.args.get(name) for name in filters})
    limit = pagination.parse_limit(request.args.get('limit'),
                                   current_app.config['PAGE_SIZE'],
                                   current_app.config['MAX_PAGE_SIZE'])
    return pagination.paginate(items, limit, request.args.get('marker'),
                               key)


def list_answer(collection, items, key=lambda item: item['id'],
                filters=('name',), **extra):
    """A paginated list answer: ``{collection: [...], "next_marker": ...}``."""
    selected, next_marker = page(items, key, **{f: True for f in filters})
    body = {collection: selected, 'next_marker': next_marker}
    body.update(extra)
    return jsonify(body)


def answer(body, status=200, location=None):
    """A JSON answer with ``status`` and an optional ``Location``."""
    response = jsonify(body)
    response.status_code = status
    if location:
        response.headers['Location'] = location
    return response
