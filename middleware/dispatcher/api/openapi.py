"""The machine-readable description of the API."""

from flask import current_app, jsonify

from dispatcher.api.framework import Blueprint
from dispatcher.api.schemas.common import NoQuery
from dispatcher.api.schemas.root import Document

bp = Blueprint('openapi', __name__)

EXTENSION = 'dispatcher.openapi'


def build_document(app):
    """The OpenAPI 3.1 document of ``app``, generated from the schemas its
    routes declare."""
    from dispatcher.api import API

    document = app.extensions[API].spec.to_dict()
    document['servers'] = [{'url': '/'}]
    _page_bounds(document, app.config)
    if not app.config.get('AUTH_ENABLED', True):
        # Without tokens nothing is secured, and nothing answers 401/403.
        document['components'].pop('securitySchemes', None)
        for operations in document['paths'].values():
            for operation in operations.values():
                if not isinstance(operation, dict):
                    continue  # the path's own parameters
                operation.pop('security', None)
                for status in ('401', '403'):
                    operation['responses'].pop(status, None)
    return document


def _page_bounds(document, config):
    # The page size's bounds are settings, not constants of the schema.
    for operations in document['paths'].values():
        for operation in operations.values():
            for parameter in (
                operation.get('parameters', ())
                if isinstance(operation, dict)
                else ()
            ):
                if parameter['in'] == 'query' and parameter['name'] == 'limit':
                    parameter['schema'].update(
                        maximum=config['MAX_PAGE_SIZE'],
                        default=config['PAGE_SIZE'],
                    )


@bp.route('/v1/openapi.json')
@bp.arguments(NoQuery, location='query')
@bp.response(200, Document)
def openapi_document(query):
    """The OpenAPI 3.1 document of every route of this service.

    Generated from the schemas each route declares, as is the HTTP
    reference, so the two always agree with what the service does.
    """
    document = current_app.extensions.get(EXTENSION)
    if document is None:
        document = build_document(current_app)
        current_app.extensions[EXTENSION] = document
    return jsonify(document)
