"""The contract of the HTTP API: a schema for every request and answer.

Each route declares its query, body and answer schemas from these modules
(``@bp.arguments(NodeCreate)``, ``@bp.response(201, NodeAnswer)``); the
schemas validate what comes in, serialise what goes out, and are what
``/v1/openapi.json`` and the HTTP reference are generated from.
"""
