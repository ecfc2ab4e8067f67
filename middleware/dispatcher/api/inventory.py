"""Every cloud at once."""

from flask import Blueprint, request

from dispatcher.api.common import farm, list_answer
from dispatcher.services import inventory

bp = Blueprint('inventory', __name__, url_prefix='/v1/nodes')


@bp.route('')
def list_all_nodes():
    """The nodes of every cloud, fetched in parallel.

    A cloud that fails is reported in ``errors`` beside the results; it
    never fails the whole answer.

    **Example request**:

    .. sourcecode:: http

        GET /v1/nodes?state=running HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"nodes": [{"id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9",
                    "name": "web-1", "cloud": "default", "state": "running",
                    "public_ips": ["203.0.113.1"], "private_ips": ["10.0.0.1"],
                    "size": "small", "image": "img-ubuntu-24.04",
                    "created_at": "2026-01-05T09:30:00+00:00",
                    "actions": ["reboot", "stop"],
                    "extra": {"location_id": "sim-east-1a", "key_name": null}}],
         "next_marker": null,
         "errors": [{"status": 504, "code": "cloud_timeout",
                     "message": "cloud 'sim-us' did not answer list_nodes within 30 s",
                     "cloud": "sim-us"}]}

    :query string cloud: only these clouds (comma-separated names).
    :query integer limit: page size (default 100).
    :query string marker: ``<cloud>:<id>`` of the node to start after.
    :query string state: only nodes in this state.
    :query string name: only nodes of this name.
    :resjson array nodes: the nodes, each naming its ``cloud``.
    :resjson string|null next_marker: marker of the next page, or null.
    :resjson array errors: one error object per failing cloud.
    :status 200: the list, with the failing clouds' errors.
    :status 400: bad ``limit`` or ``marker`` (``field`` names it).
    :status 404: ``cloud`` names an unknown cloud (``cloud_not_found``).
    """
    names = [n for n in request.args.get('cloud', '').split(',') if n]
    nodes, failures = inventory.all_nodes(farm(), names or None)
    return list_answer('nodes', nodes,
                       key=lambda n: '%s:%s' % (n['cloud'], n['id']),
                       filters=('name', 'state'), errors=failures)
