"""Every cloud at once."""

from dispatcher.api.common import documents, farm, limit, services
from dispatcher.api.framework import Blueprint
from dispatcher.api.schemas.compute import FarmNodePage, FarmNodeQuery

bp = Blueprint('inventory', __name__, url_prefix='/v1/nodes')


@bp.route('')
@bp.arguments(FarmNodeQuery, location='query')
@bp.response(200, FarmNodePage)
@bp.errors(404)
def list_all_nodes(query):
    """The nodes of every cloud, fetched in parallel.

    A cloud that fails does not fail the answer: its error is in
    ``errors`` beside the other clouds' nodes; a cloud named in ``cloud``
    that the farm lacks is a 404.  The marker of a page is ``<cloud>:<id>``.
    """
    names = [n for n in query.get('cloud', '').split(',') if n]
    visible = farm()
    clouds = [visible.get(name) for name in names] if names else list(visible)
    return documents(
        services().inventory.farm_nodes(clouds, query, limit(query))
    )
