"""Key pairs of one cloud."""

from flask import Response, url_for

from dispatcher.api.common import (
    cloud,
    created,
    inventory_item,
    inventory_page,
)
from dispatcher.api.framework import BODY, PROVIDER, Blueprint
from dispatcher.api.schemas.common import (
    LOCATION,
    FreshNamedPageQuery,
    FreshQuery,
)
from dispatcher.api.schemas.compute import (
    KeyPairAnswer,
    KeyPairCreate,
    KeyPairPage,
    KeyPairShowAnswer,
)
from dispatcher.services import resources

bp = Blueprint(
    'key_pairs', __name__, url_prefix='/v1/clouds/<cloud_name>/key_pairs'
)


@bp.route('')
@bp.arguments(FreshNamedPageQuery, location='query')
@bp.response(200, KeyPairPage)
@bp.errors(404, *PROVIDER)
def list_key_pairs(query, cloud_name):
    """The key pairs of a cloud (public parts only), keyed by name."""
    return inventory_page(cloud_name, 'key_pairs', query)


@bp.route('', methods=['POST'])
@bp.arguments(KeyPairCreate)
@bp.response(201, KeyPairAnswer, headers=LOCATION)
@bp.links(
    201,
    ('key_pair', 'name'),
    'name',
    ('key_pairs.show_key_pair', 'get'),
    ('key_pairs.delete_key_pair', 'delete'),
)
@bp.errors(404, 409, *BODY, *PROVIDER)
def create_key_pair(spec, cloud_name):
    """Create a key pair, or import one with ``public_key``.

    A key pair the cloud makes comes with its ``private_key``, in this
    answer only: the service keeps no copy.  A public key the provider
    cannot read is a 400 (``provider_rejected``).
    """
    key_pair = resources.create_key_pair(cloud(cloud_name), spec)
    return created(
        {'key_pair': key_pair},
        url_for(
            'key_pairs.show_key_pair',
            cloud_name=cloud_name,
            name=key_pair.name,
        ),
    )


@bp.route('/<name>')
@bp.arguments(FreshQuery, location='query')
@bp.response(200, KeyPairShowAnswer)
@bp.errors(404, *PROVIDER)
def show_key_pair(query, cloud_name, name):
    """One key pair (its public part)."""
    return inventory_item(cloud_name, 'key_pairs', name, query)


@bp.route('/<name>', methods=['DELETE'])
@bp.response(204)
@bp.errors(404, *PROVIDER)
def delete_key_pair(cloud_name, name):
    """Delete a key pair."""
    resources.delete_key_pair(cloud(cloud_name), name)
    return Response(status=204)
