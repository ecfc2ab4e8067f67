"""Block-storage volumes of one cloud."""

from flask import Blueprint, url_for

from dispatcher.api import schemas
from dispatcher.api.common import answer, cloud, json_body, list_answer
from dispatcher.services import resources

bp = Blueprint('volumes', __name__,
               url_prefix='/v1/clouds/<cloud_name>/volumes')


@bp.route('')
def list_volumes(cloud_name):
    """The volumes of a cloud.

    :param cloud_name: the farm name.
    :query limit: page size.
    :query marker: the ``id`` to start after.
    :query name: only volumes of this name.
    :query state: only volumes in this state (``available``, ``inuse``...).
    :>json array volumes: ``id``, ``name``, ``size`` (GB), ``state``,
        ``node_id`` and ``device`` when attached, ``cloud``, ``extra``.
    :>json string next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 404: no such cloud.
    :status 501: the cloud has no volumes.
    """
    return list_answer('volumes', resources.list_volumes(cloud(cloud_name)),
                       filters=('name', 'state'))


@bp.route('', methods=['POST'])
def create_volume(cloud_name):
    """Create a volume.

    :param cloud_name: the farm name.
    :<json string name: the volume's name.
    :<json integer size: its size in GB (1 to 65536).
    :<json string location: a location id (optional).
    :>json object volume: the new volume.
    :resheader Location: the volume's URL.
    :status 201: created.
    :status 400: a field is missing or invalid.
    :status 404: no such cloud.
    :status 501: the cloud has no volumes.
    """
    volume = resources.create_volume(cloud(cloud_name),
                                     json_body(schemas.VOLUME_CREATE))
    return answer({'volume': volume}, 201, url_for(
        'volumes.show_volume', cloud_name=cloud_name, volume_id=volume['id']))


@bp.route('/<volume_id>')
def show_volume(cloud_name, volume_id):
    """One volume.

    :param cloud_name: the farm name.
    :param volume_id: the provider's id of the volume.
    :>json object volume: the volume.
    :status 200: the volume.
    :status 404: no such cloud or volume.
    """
    return answer({'volume': resources.get_volume(cloud(cloud_name),
                                                  volume_id)})


@bp.route('/<volume_id>/attach', methods=['POST'])
def attach_volume(cloud_name, volume_id):
    """Attach a volume to a node of the same cloud.

    :param cloud_name: the farm name.
    :param volume_id: the provider's id of the volume.
    :<json string node_id: the node to attach to.
    :<json string device: the device name, e.g. ``/dev/vdb`` (optional).
    :>json object volume: the volume after the provider accepted.
    :status 202: accepted.
    :status 400: a field is missing or invalid.
    :status 404: no such cloud, volume or node.
    :status 409: the volume is already attached.
    :status 501: the cloud cannot attach volumes.
    """
    volume = resources.attach_volume(cloud(cloud_name), volume_id,
                                     json_body(schemas.VOLUME_ATTACH))
    return answer({'volume': volume}, 202)


@bp.route('/<volume_id>/detach', methods=['POST'])
def detach_volume(cloud_name, volume_id):
    """Detach a volume from its node.

    :param cloud_name: the farm name.
    :param volume_id: the provider's id of the volume.
    :>json object volume: the volume after the provider accepted.
    :status 202: accepted.
    :status 404: no such cloud or volume.
    :status 409: the volume is not attached.
    :status 501: the cloud cannot detach volumes.
    """
    volume = resources.detach_volume(cloud(cloud_name), volume_id)
    return answer({'volume': volume}, 202)


@bp.route('/<volume_id>', methods=['DELETE'])
def destroy_volume(cloud_name, volume_id):
    """Destroy a volume.

    :param cloud_name: the farm name.
    :param volume_id: the provider's id of the volume.
    :status 204: destroyed.
    :status 404: no such cloud or volume.
    :status 409: the volume is attached.
    :status 501: the cloud cannot destroy volumes.
    """
    resources.destroy_volume(cloud(cloud_name), volume_id)
    return '', 204
