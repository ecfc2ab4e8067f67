"""The machine-readable description of the API."""

from flask import Blueprint, current_app, jsonify

from dispatcher.docs_support.openapi import build_document

bp = Blueprint('openapi', __name__)

EXTENSION = 'dispatcher.openapi'


@bp.route('/v1/openapi.json')
def openapi_document():
    """The OpenAPI 3.1 document of every route of this service.

    Built from the same route docstrings and request schemas as the HTTP
    reference, so the two always agree.

    **Example request**:

    .. sourcecode:: http

        GET /v1/openapi.json HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"openapi": "3.1.0",
         "info": {"title": "Multi-cloud orchestration middleware",
                  "version": "1.0.0"},
         "servers": [{"url": "/"}],
         "paths": {"/healthz": {"get": {"operationId": "root.healthz"}}},
         "components": {"schemas": {"Error": {"type": "object"}}}}

    :resjson string openapi: the OpenAPI version, ``3.1.0``.
    :resjson object info: title and version of the service.
    :resjson array servers: the base URL, relative to this service.
    :resjson object paths: every route: parameters, bodies, answers.
    :resjson object components: the ``Error`` answer and shared headers.
    :status 200: the document.
    """
    document = current_app.extensions.get(EXTENSION)
    if document is None:
        document = build_document(current_app)
        current_app.extensions[EXTENSION] = document
    return jsonify(document)
