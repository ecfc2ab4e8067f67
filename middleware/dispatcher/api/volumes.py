"""Block storage volumes of one cloud."""

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
    FreshQuery,
    FreshStatePageQuery,
)
from dispatcher.api.schemas.compute import (
    VolumeAnswer,
    VolumeAttach,
    VolumeCreate,
    VolumePage,
    VolumeShowAnswer,
)
from dispatcher.services import resources

bp = Blueprint(
    'volumes', __name__, url_prefix='/v1/clouds/<cloud_name>/volumes'
)


@bp.route('')
@bp.arguments(FreshStatePageQuery, location='query')
@bp.response(200, VolumePage)
@bp.errors(404, *PROVIDER)
def list_volumes(query, cloud_name):
    """The volumes of a cloud, filtered by ``name`` and ``state``."""
    return inventory_page(cloud_name, 'volumes', query)


@bp.route('', methods=['POST'])
@bp.arguments(VolumeCreate)
@bp.response(201, VolumeAnswer, headers=LOCATION)
@bp.links(
    201,
    ('volume', 'id'),
    'volume_id',
    ('volumes.show_volume', 'get'),
    ('volumes.attach_volume', 'post'),
    ('volumes.detach_volume', 'post'),
    ('volumes.destroy_volume', 'delete'),
)
@bp.errors(404, 409, *BODY, *PROVIDER)
def create_volume(spec, cloud_name):
    """Create a volume."""
    volume = resources.create_volume(cloud(cloud_name), spec)
    return created(
        {'volume': volume},
        url_for(
            'volumes.show_volume',
            cloud_name=cloud_name,
            volume_id=volume.id,
        ),
    )


@bp.route('/<volume_id>')
@bp.arguments(FreshQuery, location='query')
@bp.response(200, VolumeShowAnswer)
@bp.errors(404, *PROVIDER)
def show_volume(query, cloud_name, volume_id):
    """One volume."""
    return inventory_item(cloud_name, 'volumes', volume_id, query)


@bp.route('/<volume_id>/attach', methods=['POST'])
@bp.arguments(VolumeAttach)
@bp.response(202, VolumeAnswer)
@bp.errors(404, 409, *BODY, *PROVIDER)
def attach_volume(spec, cloud_name, volume_id):
    """Attach a volume to a node of the same cloud."""
    return {
        'volume': resources.attach_volume(cloud(cloud_name), volume_id, spec)
    }


@bp.route('/<volume_id>/detach', methods=['POST'])
@bp.response(202, VolumeAnswer)
@bp.errors(404, 409, *PROVIDER)
def detach_volume(cloud_name, volume_id):
    """Detach a volume from its node."""
    return {'volume': resources.detach_volume(cloud(cloud_name), volume_id)}


@bp.route('/<volume_id>', methods=['DELETE'])
@bp.response(204)
@bp.errors(404, 409, *PROVIDER)
def destroy_volume(cloud_name, volume_id):
    """Destroy a volume.

    The volume is gone (``404``) once its provider no longer lists it;
    until then it is ``deleting``, and ``delete_failed`` (the reason in
    ``extra``) if the provider still lists it ``DELETE_CONFIRM_SECONDS``
    later.
    """
    resources.destroy_volume(cloud(cloud_name), volume_id)
    return Response(status=204)
