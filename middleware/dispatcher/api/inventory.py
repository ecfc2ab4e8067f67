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

    :query cloud: only these clouds (comma-separated names).
    :query limit: page size (default 100).
    :query marker: ``<cloud>:<id>`` of the node to start after.
    :query state: only nodes in this state.
    :query name: only nodes of this name.
    :>json array nodes: the nodes, each naming its ``cloud``.
    :>json array errors: one error object per failing cloud.
    :>json string next_marker: marker of the next page, or null.
    :status 200: the list, with the failing clouds' errors.
    :status 400: bad ``limit`` or ``marker``.
    :status 404: ``cloud`` names an unknown cloud.
    """
    names = [n for n in request.args.get('cloud', '').split(',') if n]
    nodes, failures = inventory.all_nodes(farm(), names or None)
    return list_answer('nodes', nodes,
                       key=lambda n: '%s:%s' % (n['cloud'], n['id']),
                       filters=('name', 'state'), errors=failures)
