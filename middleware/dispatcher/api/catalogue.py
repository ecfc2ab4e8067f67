"""What a cloud offers: images, machine sizes and locations."""

from dispatcher.api.common import cloud, list_answer
from dispatcher.api.framework import PROVIDER, Blueprint
from dispatcher.api.schemas.common import NamedPageQuery
from dispatcher.api.schemas.compute import ImagePage, LocationPage, SizePage
from dispatcher.services import resources

bp = Blueprint('catalogue', __name__, url_prefix='/v1/clouds/<cloud_name>')

#: ``(kind, answer schema, summary)`` of each catalogue of a cloud.
CATALOGUES = (
    ('images', ImagePage, 'The images of a cloud.'),
    ('sizes', SizePage, 'The machine sizes of a cloud.'),
    ('locations', LocationPage, 'The locations (regions, zones) of a cloud.'),
)


def _catalogue_route(kind, page, summary):
    def view(query, cloud_name):
        return list_answer(
            kind, resources.list_catalogue(cloud(cloud_name), kind), query
        )

    view.__name__ = 'list_' + kind
    view.__doc__ = summary
    view = bp.errors(404, *PROVIDER)(view)
    view = bp.response(200, page)(view)
    view = bp.arguments(NamedPageQuery, location='query')(view)
    return bp.route('/' + kind)(view)


for _kind, _page, _summary in CATALOGUES:
    _catalogue_route(_kind, _page, _summary)
