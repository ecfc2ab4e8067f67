"""Version discovery and liveness."""

from flask import Blueprint, current_app, jsonify, url_for

from dispatcher.docs_support.site import docs_folder

bp = Blueprint('root', __name__)

API_VERSION = 'v1'


def _links():
    links = {
        'self': url_for('root.version', _external=False),
        'providers': url_for('providers.list_providers'),
        'clouds': url_for('clouds.list_clouds'),
        'nodes': url_for('inventory.list_all_nodes'),
        'stacks': url_for('stacks.list_stacks'),
        'jobs': url_for('jobs.list_jobs'),
    }
    if docs_folder(current_app.config) is not None:
        links['docs'] = url_for('docs_site.docs_index')
    return links


@bp.route('/')
def index():
    """Version discovery: the API versions this service speaks.

    ``links`` also holds ``docs`` when the HTML documentation is built and
    served at ``/docs/``.

    **Example request**:

    .. sourcecode:: http

        GET / HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"versions": [{"id": "v1", "status": "CURRENT",
                       "links": {"self": "/v1", "providers": "/v1/providers",
                                 "clouds": "/v1/clouds", "nodes": "/v1/nodes",
                                 "docs": "/docs/"}}]}

    :resjson array versions: one object per version: ``id``, ``status``
        (``CURRENT``) and ``links`` to its collections.
    :status 200: always.
    """
    return jsonify({'versions': [{'id': API_VERSION, 'status': 'CURRENT',
                                  'links': _links()}]})


@bp.route('/v1')
def version():
    """The v1 API: its status and its collections.

    **Example request**:

    .. sourcecode:: http

        GET /v1 HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"id": "v1", "status": "CURRENT",
         "links": {"self": "/v1", "providers": "/v1/providers",
                   "clouds": "/v1/clouds", "nodes": "/v1/nodes",
                   "docs": "/docs/"}}

    :resjson string id: ``v1``.
    :resjson string status: ``CURRENT``.
    :resjson object links: the collections' paths: ``self``, ``providers``,
        ``clouds``, ``nodes`` and, when the documentation is built, ``docs``.
    :status 200: always.
    """
    return jsonify({'id': API_VERSION, 'status': 'CURRENT', 'links': _links()})


@bp.route('/healthz')
def healthz():
    """Liveness: the process serves requests.

    It asks no cloud anything: ``GET /v1/clouds/<cloud>?check=true`` checks
    a cloud.

    **Example request**:

    .. sourcecode:: http

        GET /healthz HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"status": "ok"}

    :resjson string status: ``ok``.
    :status 200: always.
    """
    return jsonify({'status': 'ok'})
