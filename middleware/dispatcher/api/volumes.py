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

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds/default/volumes HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"volumes": [{"id": "c07f3ea4-6c62-4449-99db-9d829651f42c",
                      "name": "data-1", "cloud": "default", "size": 10,
                      "state": "inuse",
                      "node_id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9",
                      "device": "/dev/vdb",
                      "extra": {"location": "sim-east-1a"}}],
         "next_marker": null}

    :param cloud_name: the farm name.
    :query integer limit: page size (default 100).
    :query string marker: the ``id`` after which the page starts.
    :query string name: only volumes of this name.
    :query string state: only volumes in this state (``available``,
        ``inuse``, ...).
    :resjson array volumes: ``id``, ``name``, ``size`` (GB), ``state``,
        ``node_id`` and ``device`` (null unless attached), ``cloud``,
        ``extra``.
    :resjson string|null next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit`` or ``marker`` (``field`` names it).
    :status 404: no cloud of that name (``cloud_not_found``).
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    return list_answer('volumes', resources.list_volumes(cloud(cloud_name)),
                       filters=('name', 'state'))


@bp.route('', methods=['POST'])
def create_volume(cloud_name):
    """Create a volume.

    **Example request**:

    .. sourcecode:: http

        POST /v1/clouds/default/volumes HTTP/1.1
        Content-Type: application/json

        {"name": "data-1", "size": 10}

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 201 Created
        Content-Type: application/json
        Location: /v1/clouds/default/volumes/c07f3ea4-6c62-4449-99db-9d829651f42c

        {"volume": {"id": "c07f3ea4-6c62-4449-99db-9d829651f42c",
                    "name": "data-1", "cloud": "default", "size": 10,
                    "state": "available", "node_id": null, "device": null,
                    "extra": {"location": "sim-east-1a"}}}

    :param cloud_name: the farm name.
    :reqjson string name: the volume's name.
    :reqjson integer size: its size in GB (1 to 65536).
    :reqjson string location: a location id (optional).
    :resjson object volume: the new volume.
    :resheader Location: the volume's URL.
    :status 201: created.
    :status 400: a field is missing or invalid (``field`` names it).
    :status 404: no cloud of that name (``cloud_not_found``).
    :status 413: the body is too large.
    :status 415: the body is not JSON.
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    volume = resources.create_volume(cloud(cloud_name),
                                     json_body(schemas.VOLUME_CREATE))
    return answer({'volume': volume}, 201, url_for(
        'volumes.show_volume', cloud_name=cloud_name, volume_id=volume['id']))


@bp.route('/<volume_id>')
def show_volume(cloud_name, volume_id):
    """One volume.

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds/default/volumes/c07f3ea4-6c62-4449-99db-9d829651f42c HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"volume": {"id": "c07f3ea4-6c62-4449-99db-9d829651f42c",
                    "name": "data-1", "cloud": "default", "size": 10,
                    "state": "inuse",
                    "node_id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9",
                    "device": "/dev/vdb", "extra": {"location": "sim-east-1a"}}}

    :param cloud_name: the farm name.
    :param volume_id: the provider's id of the volume.
    :resjson object volume: the volume.
    :status 200: the volume.
    :status 404: no such cloud or volume (``volume_not_found``).
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    return answer({'volume': resources.get_volume(cloud(cloud_name),
                                                  volume_id)})


@bp.route('/<volume_id>/attach', methods=['POST'])
def attach_volume(cloud_name, volume_id):
    """Attach a volume to a node of the same cloud.

    **Example request**:

    .. sourcecode:: http

        POST /v1/clouds/default/volumes/c07f3ea4-6c62-4449-99db-9d829651f42c/attach HTTP/1.1
        Content-Type: application/json

        {"node_id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9",
         "device": "/dev/vdb"}

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 202 Accepted
        Content-Type: application/json

        {"volume": {"id": "c07f3ea4-6c62-4449-99db-9d829651f42c",
                    "name": "data-1", "cloud": "default", "size": 10,
                    "state": "inuse",
                    "node_id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9",
                    "device": "/dev/vdb", "extra": {"location": "sim-east-1a"}}}

    :param cloud_name: the farm name.
    :param volume_id: the provider's id of the volume.
    :reqjson string node_id: the node to attach to.
    :reqjson string device: the device name, e.g. ``/dev/vdb`` (optional).
    :resjson object volume: the volume after the provider accepted.
    :status 202: accepted.
    :status 400: a field is missing or invalid (``field`` names it).
    :status 404: no such cloud, volume or node.
    :status 409: the volume is already attached.
    :status 413: the body is too large.
    :status 415: the body is not JSON.
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    volume = resources.attach_volume(cloud(cloud_name), volume_id,
                                     json_body(schemas.VOLUME_ATTACH))
    return answer({'volume': volume}, 202)


@bp.route('/<volume_id>/detach', methods=['POST'])
def detach_volume(cloud_name, volume_id):
    """Detach a volume from its node.

    **Example request**:

    .. sourcecode:: http

        POST /v1/clouds/default/volumes/c07f3ea4-6c62-4449-99db-9d829651f42c/detach HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 202 Accepted
        Content-Type: application/json

        {"volume": {"id": "c07f3ea4-6c62-4449-99db-9d829651f42c",
                    "name": "data-1", "cloud": "default", "size": 10,
                    "state": "available", "node_id": null, "device": null,
                    "extra": {"location": "sim-east-1a"}}}

    :param cloud_name: the farm name.
    :param volume_id: the provider's id of the volume.
    :resjson object volume: the volume after the provider accepted.
    :status 202: accepted.
    :status 404: no such cloud or volume (``volume_not_found``).
    :status 409: the volume is not attached.
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    volume = resources.detach_volume(cloud(cloud_name), volume_id)
    return answer({'volume': volume}, 202)


@bp.route('/<volume_id>', methods=['DELETE'])
def destroy_volume(cloud_name, volume_id):
    """Destroy a volume.

    **Example request**:

    .. sourcecode:: http

        DELETE /v1/clouds/default/volumes/c07f3ea4-6c62-4449-99db-9d829651f42c HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 204 No Content

    :param cloud_name: the farm name.
    :param volume_id: the provider's id of the volume.
    :status 204: destroyed.
    :status 404: no such cloud or volume (``volume_not_found``).
    :status 409: the volume is attached: detach it first.
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    resources.destroy_volume(cloud(cloud_name), volume_id)
    return '', 204
