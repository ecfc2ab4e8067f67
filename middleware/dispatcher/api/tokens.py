"""API tokens: create, list, show and revoke (admins only)."""

from flask import Blueprint, url_for

from dispatcher import storage
from dispatcher.api import schemas
from dispatcher.api.common import answer, farm, json_body, list_answer
from dispatcher.auth.scope import current_principal
from dispatcher.services import tokens as service
from dispatcher.storage.auth_models import ROLES

bp = Blueprint('tokens', __name__, url_prefix='/v1/tokens')

#: Longest life of a token, in seconds (ten years).
MAX_EXPIRES_IN = 10 * 365 * 24 * 3600

TOKEN_CREATE = {
    'type': 'object',
    'properties': {
        'role': {'type': 'string', 'enum': list(ROLES)},
        'clouds': {'type': ['array', 'null'], 'maxItems': 256,
                   'uniqueItems': True,
                   'items': {'type': 'string', 'minLength': 1,
                             'maxLength': 64}},
        'name': schemas.NAME,
        'expires_in': {'type': ['integer', 'null'], 'minimum': 60,
                       'maximum': MAX_EXPIRES_IN},
    },
    'required': ['role'],
    'additionalProperties': False,
}


@bp.route('', methods=['POST'])
def create_token():
    """Create a token; the answer holds its value, shown this once only.

    The service keeps only a digest of the value: store it now.  An admin
    token limited to some clouds creates tokens within its own clouds only.

    **Example request**:

    .. sourcecode:: http

        POST /v1/tokens HTTP/1.1
        Content-Type: application/json
        X-Auth-Token: mwt_...

        {"role": "operator", "clouds": ["default"], "name": "ci-deploy",
         "expires_in": 86400}

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 201 Created
        Content-Type: application/json
        Location: /v1/tokens/9b0c3f56-5d8e-4f0e-9a7c-2f4d1e6b8a10

        {"token": {"id": "9b0c3f56-5d8e-4f0e-9a7c-2f4d1e6b8a10",
                   "name": "ci-deploy", "role": "operator",
                   "clouds": ["default"], "prefix": "mwt_Q2x9bT4e",
                   "status": "active",
                   "created_by": "3f1e2d4c-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
                   "created_at": "2026-01-05T09:30:00+00:00",
                   "expires_at": "2026-01-06T09:30:00+00:00",
                   "revoked_at": null,
                   "value": "mwt_Q2x9bT4eZ0rGmH1sVtKpLw8yNcDaE5uXfRjB7oIiYq3"}}

    :reqjson string role: ``reader`` (reads), ``operator`` (also changes
        nodes, key pairs, volumes, stacks, jobs) or ``admin`` (also
        tokens and the audit trail).
    :reqjson array|null clouds: the cloud names it may see (optional;
        absent or null: every cloud).
    :reqjson string name: a name for lists and the audit trail (optional).
    :reqjson integer|null expires_in: seconds it stays valid, 60 or more
        (optional; absent or null: until revoked).
    :resjson object token: the token, with its ``value`` (this once).
    :resheader Location: the token's URL.
    :status 201: created.
    :status 400: a field is missing or invalid, or ``clouds`` names an
        unknown cloud (``field`` names it).
    :status 401: no token, or one that is not valid.
    :status 403: the token is not an admin's.
    :status 413: the body is too large.
    :status 415: the body is not JSON.
    :status 429: too many requests for this token (``Retry-After``).
    """
    spec = json_body(TOKEN_CREATE)
    token, value = service.create_token(
        storage.database(), spec['role'], clouds=spec.get('clouds'),
        name=spec.get('name'), expires_in=spec.get('expires_in'),
        creator=current_principal(),
        known_clouds=[c.name for c in farm()])
    return answer({'token': dict(token, value=value)}, 201,
                  url_for('tokens.show_token', token_id=token['id']))


@bp.route('')
def list_tokens():
    """The tokens (never their values or digests).

    An admin token limited to some clouds sees the tokens within its own
    clouds only.

    **Example request**:

    .. sourcecode:: http

        GET /v1/tokens?status=active HTTP/1.1
        X-Auth-Token: mwt_...

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"tokens": [{"id": "9b0c3f56-5d8e-4f0e-9a7c-2f4d1e6b8a10",
                     "name": "ci-deploy", "role": "operator",
                     "clouds": ["default"], "prefix": "mwt_Q2x9bT4e",
                     "status": "active",
                     "created_by": "3f1e2d4c-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
                     "created_at": "2026-01-05T09:30:00+00:00",
                     "expires_at": "2026-01-06T09:30:00+00:00",
                     "revoked_at": null}],
         "next_marker": null}

    :query integer limit: page size (default 100).
    :query string marker: the ``id`` after which the page starts.
    :query string name: only tokens of this name.
    :query string role: only tokens of this role.
    :query string status: ``active``, ``expired`` or ``revoked``.
    :resjson array tokens: ``id``, ``name``, ``role``, ``clouds`` (null:
        every cloud), ``prefix`` (the value's first characters, not
        secret), ``status``, ``created_by``, ``created_at``,
        ``expires_at``, ``revoked_at``.
    :resjson string|null next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit`` or ``marker`` (``field`` names it).
    :status 401: no token, or one that is not valid.
    :status 403: the token is not an admin's.
    :status 429: too many requests for this token (``Retry-After``).
    """
    return list_answer('tokens', service.list_tokens(
        storage.database(), current_principal()),
        filters=('name', 'role', 'status'))


@bp.route('/<token_id>')
def show_token(token_id):
    """One token (never its value or digest).

    **Example request**:

    .. sourcecode:: http

        GET /v1/tokens/9b0c3f56-5d8e-4f0e-9a7c-2f4d1e6b8a10 HTTP/1.1
        X-Auth-Token: mwt_...

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"token": {"id": "9b0c3f56-5d8e-4f0e-9a7c-2f4d1e6b8a10",
                   "name": "ci-deploy", "role": "operator",
                   "clouds": ["default"], "prefix": "mwt_Q2x9bT4e",
                   "status": "active",
                   "created_by": "3f1e2d4c-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
                   "created_at": "2026-01-05T09:30:00+00:00",
                   "expires_at": "2026-01-06T09:30:00+00:00",
                   "revoked_at": null}}

    :param token_id: the token's id.
    :resjson object token: the token, as in the list.
    :status 200: the token.
    :status 401: no token, or one that is not valid.
    :status 403: the token is not an admin's.
    :status 404: no such token (``token_not_found``).
    :status 429: too many requests for this token (``Retry-After``).
    """
    return answer({'token': service.get_token(
        storage.database(), token_id, current_principal())})


@bp.route('/<token_id>', methods=['DELETE'])
def revoke_token(token_id):
    """Revoke a token: from now on it is refused (401) everywhere.

    Revoking a revoked token again changes nothing.

    **Example request**:

    .. sourcecode:: http

        DELETE /v1/tokens/9b0c3f56-5d8e-4f0e-9a7c-2f4d1e6b8a10 HTTP/1.1
        X-Auth-Token: mwt_...

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 204 No Content

    :param token_id: the token's id.
    :status 204: revoked.
    :status 401: no token, or one that is not valid.
    :status 403: the token is not an admin's.
    :status 404: no such token (``token_not_found``).
    :status 429: too many requests for this token (``Retry-After``).
    """
    service.revoke_token(storage.database(), token_id, current_principal())
    return '', 204
