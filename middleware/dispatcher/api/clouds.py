"""The clouds of the farm."""

from flask import Blueprint, jsonify, request

from dispatcher.api.common import cloud, farm, list_answer
from dispatcher.services import clouds as service

bp = Blueprint('clouds', __name__, url_prefix='/v1/clouds')


@bp.route('')
def list_clouds():
    """The farm's clouds: never a credential.

    A farm entry that is wrong (unknown label, missing credential, bad
    parameter) is listed with ``status: unavailable`` and the ``reason``.

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds?limit=1 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"clouds": [{"name": "default", "provider": "simulator",
                     "status": "available", "reason": null,
                     "capabilities": ["create_node", "destroy_node",
                                      "list_images", "list_nodes", "list_sizes",
                                      "reboot_node", "start_node", "stop_node"],
                     "timeout": 30.0, "max_concurrency": 8, "default": true}],
         "next_marker": "default"}

    :query integer limit: page size (default 100).
    :query string marker: the ``name`` after which the page starts.
    :query string name: only this cloud.
    :query string status: ``available`` or ``unavailable``.
    :resjson array clouds: ``name``, ``provider`` (the ``ENGINE`` label),
        ``status``, ``reason``, ``capabilities``, ``timeout``,
        ``max_concurrency``, ``default`` (true for the default cloud).
    :resjson string|null next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit`` or ``marker`` (``field`` names it).
    """
    return list_answer('clouds', service.describe_all(farm()),
                       key=lambda c: c['name'], filters=('name', 'status'))


@bp.route('/<cloud_name>')
def show_cloud(cloud_name):
    """One cloud; ``?check=true`` proves its credentials with a live call.

    A failed check is reported in the answer (``check.ok`` is false and
    ``check.error`` is the error object), not as the answer's status.

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds/default?check=true HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"cloud": {"name": "default", "provider": "simulator",
                   "status": "available", "reason": null,
                   "capabilities": ["create_node", "destroy_node",
                                    "list_images", "list_nodes", "list_sizes",
                                    "reboot_node", "start_node", "stop_node"],
                   "timeout": 30.0, "max_concurrency": 8, "default": true,
                   "check": {"ok": true}}}

    :param cloud_name: the farm name.
    :query string check: ``true`` to log in to the provider now.
    :resjson object cloud: as in the list; with ``check``, ``check`` holds
        ``ok`` (boolean) and, when it failed, the ``error`` object.
    :status 200: the cloud (a failed check is reported in the body).
    :status 404: no cloud of that name (``cloud_not_found``).
    """
    check = request.args.get('check', '').lower() in ('1', 'true', 'yes')
    return jsonify({'cloud': service.describe(cloud(cloud_name), check)})
