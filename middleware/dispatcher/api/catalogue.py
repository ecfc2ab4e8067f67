"""What a cloud offers: images, machine sizes and locations."""

from dispatcher.api.common import cloud, list_answer
from dispatcher.api.framework import PROVIDER, Blueprint
from dispatcher.api.schemas.common import NamedPageQuery
from dispatcher.api.schemas.compute import ImagePage, LocationPage, SizePage
from dispatcher.services import resources

bp = Blueprint('catalogue', __name__, url_prefix='/v1/clouds/<cloud_name>')


@bp.route('/images')
@bp.arguments(NamedPageQuery, location='query')
@bp.response(200, ImagePage)
@bp.errors(404, *PROVIDER)
def list_images(query, cloud_name):
    """The images of a cloud."""
    return list_answer(
        'images', resources.list_catalogue(cloud(cloud_name), 'images'), query
    )


@bp.route('/sizes')
@bp.arguments(NamedPageQuery, location='query')
@bp.response(200, SizePage)
@bp.errors(404, *PROVIDER)
def list_sizes(query, cloud_name):
    """The machine sizes of a cloud."""
    return list_answer(
        'sizes', resources.list_catalogue(cloud(cloud_name), 'sizes'), query
    )


@bp.route('/locations')
@bp.arguments(NamedPageQuery, location='query')
@bp.response(200, LocationPage)
@bp.errors(404, *PROVIDER)
def list_locations(query, cloud_name):
    """The locations (regions, zones) of a cloud."""
    return list_answer(
        'locations',
        resources.list_catalogue(cloud(cloud_name), 'locations'),
        query,
    )
