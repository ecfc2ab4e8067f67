"""Images, sizes and locations of one cloud."""

from flask import Blueprint

from dispatcher.api.common import cloud, list_answer
from dispatcher.services import resources

bp = Blueprint('catalogue', __name__, url_prefix='/v1/clouds/<cloud_name>')


@bp.route('/images')
def list_images(cloud_name):
    """The images of a cloud.

    :param cloud_name: the farm name.
    :query limit: page size.
    :query marker: the ``id`` to start after.
    :query name: only images of this name.
    :>json array images: ``id``, ``name``, ``cloud``, ``extra``.
    :>json string next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 404: no such cloud.
    :status 501: the cloud has no image listing.
    """
    return list_answer('images',
                       resources.list_catalogue(cloud(cloud_name), 'images'))


@bp.route('/sizes')
def list_sizes(cloud_name):
    """The machine sizes of a cloud.

    :param cloud_name: the farm name.
    :query limit: page size.
    :query marker: the ``id`` to start after.
    :query name: only sizes of this name.
    :>json array sizes: ``id``, ``name``, ``ram`` (MB), ``disk`` (GB),
        ``bandwidth``, ``price``, ``cloud``, ``extra``.
    :>json string next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 404: no such cloud.
    :status 501: the cloud has no size listing.
    """
    return list_answer('sizes',
                       resources.list_catalogue(cloud(cloud_name), 'sizes'))


@bp.route('/locations')
def list_locations(cloud_name):
    """The locations (regions, zones) of a cloud.

    :param cloud_name: the farm name.
    :query limit: page size.
    :query marker: the ``id`` to start after.
    :query name: only locations of this name.
    :>json array locations: ``id``, ``name``, ``country``, ``cloud``.
    :>json string next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 404: no such cloud.
    :status 501: the cloud has no location listing.
    """
    return list_answer('locations', resources.list_catalogue(
        cloud(cloud_name), 'locations'))
