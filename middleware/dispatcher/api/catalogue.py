"""What a cloud offers: images, machine sizes and locations."""

from dispatcher.api.common import inventory_page
from dispatcher.api.framework import PROVIDER, Blueprint
from dispatcher.api.schemas.common import FreshNamedPageQuery
from dispatcher.api.schemas.compute import ImagePage, LocationPage, SizePage

bp = Blueprint('catalogue', __name__, url_prefix='/v1/clouds/<cloud_name>')

#: ``(kind, answer schema, summary)`` of each catalogue of a cloud.
CATALOGUES = (
    ('images', ImagePage, 'The images of a cloud.'),
    ('sizes', SizePage, 'The machine sizes of a cloud.'),
    ('locations', LocationPage, 'The locations (regions, zones) of a cloud.'),
)


def _catalogue_route(kind, page, summary):
    def view(query, cloud_name):
        return inventory_page(cloud_name, kind, query)

    view.__name__ = 'list_' + kind
    view.__doc__ = summary
    view = bp.errors(404, *PROVIDER)(view)
    view = bp.response(200, page)(view)
    view = bp.arguments(FreshNamedPageQuery, location='query')(view)
    return bp.route('/' + kind)(view)


for _kind, _page, _summary in CATALOGUES:
    _catalogue_route(_kind, _page, _summary)
