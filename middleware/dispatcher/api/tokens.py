"""API tokens: create, list, show, revoke (admins only)."""

from flask import Response, url_for

from dispatcher.api.access import current_principal
from dispatcher.api.common import created, farm, list_answer, services
from dispatcher.api.framework import BODY, Blueprint
from dispatcher.api.schemas.access import (
    TokenAnswer,
    TokenCreate,
    TokenPage,
    TokenQuery,
)
from dispatcher.api.schemas.common import LOCATION, NoQuery

bp = Blueprint('tokens', __name__, url_prefix='/v1/tokens')


@bp.route('', methods=['POST'])
@bp.arguments(TokenCreate)
@bp.response(201, TokenAnswer, headers=LOCATION)
@bp.links(
    201,
    ('token', 'id'),
    'token_id',
    ('tokens.show_token', 'get'),
    ('tokens.revoke_token', 'delete'),
)
@bp.errors(*BODY)
def create_token(spec):
    """Create a token; the answer holds its value, shown this once only.

    A token limited to some clouds (``clouds``) sees only those: the others
    answer 404 as if absent.  An admin limited to some clouds makes tokens
    within its own clouds only.
    """
    token, value = services().create_token(
        spec['role'],
        current_principal(),
        [c.name for c in farm()],
        clouds=spec.get('clouds'),
        name=spec.get('name'),
        expires_in=spec.get('expires_in'),
    )
    return created(
        {'token': dict(token, value=value)},
        url_for('tokens.show_token', token_id=token['id']),
    )


@bp.route('')
@bp.arguments(TokenQuery, location='query')
@bp.response(200, TokenPage)
def list_tokens(query):
    """The tokens (never their values or digests)."""
    return list_answer(
        'tokens',
        services().list_tokens(current_principal()),
        query,
        filters=('name', 'role', 'status'),
    )


@bp.route('/<token_id>')
@bp.arguments(NoQuery, location='query')
@bp.response(200, TokenAnswer)
@bp.errors(404)
def show_token(query, token_id):
    """One token (never its value or digest)."""
    return {'token': services().get_token(token_id, current_principal())}


@bp.route('/<token_id>', methods=['DELETE'])
@bp.response(204)
@bp.errors(404)
def revoke_token(token_id):
    """Revoke a token: from now on it is refused (401) everywhere."""
    services().revoke_token(token_id, current_principal())
    return Response(status=204)
