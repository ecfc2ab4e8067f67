"""Images, sizes and locations of one cloud."""

from flask import Blueprint

from dispatcher.api.common import cloud, list_answer
from dispatcher.services import resources

bp = Blueprint('catalogue', __name__, url_prefix='/v1/clouds/<cloud_name>')


@bp.route('/images')
def list_images(cloud_name):
    """The images of a cloud.

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds/default/images?limit=1 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"images": [{"id": "img-ubuntu-24.04", "name": "Ubuntu 24.04 LTS",
                     "cloud": "default",
                     "extra": {"os": "linux", "arch": "x86_64"}}],
         "next_marker": "img-ubuntu-24.04"}

    :param cloud_name: the farm name.
    :query integer limit: page size (default 100).
    :query string marker: the ``id`` after which the page starts.
    :query string name: only images of this name.
    :resjson array images: ``id``, ``name``, ``cloud``, ``extra``.
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
    return list_answer('images',
                       resources.list_catalogue(cloud(cloud_name), 'images'))


@bp.route('/sizes')
def list_sizes(cloud_name):
    """The machine sizes of a cloud.

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds/default/sizes?limit=1 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"sizes": [{"id": "small", "name": "Small: 1 vCPU, 1 GB RAM",
                    "cloud": "default", "ram": 1024, "disk": 25,
                    "bandwidth": 1000, "price": 0.0075, "extra": {"vcpus": 1}}],
         "next_marker": "small"}

    :param cloud_name: the farm name.
    :query integer limit: page size (default 100).
    :query string marker: the ``id`` after which the page starts.
    :query string name: only sizes of this name.
    :resjson array sizes: ``id``, ``name``, ``ram`` (MB), ``disk`` (GB),
        ``bandwidth``, ``price``, ``cloud``, ``extra``.
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
    return list_answer('sizes',
                       resources.list_catalogue(cloud(cloud_name), 'sizes'))


@bp.route('/locations')
def list_locations(cloud_name):
    """The locations (regions, zones) of a cloud.

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds/default/locations?limit=1 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"locations": [{"id": "sim-east-1a", "name": "Simulated East, zone a",
                        "cloud": "default", "country": "US", "extra": {}}],
         "next_marker": "sim-east-1a"}

    :param cloud_name: the farm name.
    :query integer limit: page size (default 100).
    :query string marker: the ``id`` after which the page starts.
    :query string name: only locations of this name.
    :resjson array locations: ``id``, ``name``, ``country``, ``cloud``, ``extra``.
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
    return list_answer('locations', resources.list_catalogue(
        cloud(cloud_name), 'locations'))
