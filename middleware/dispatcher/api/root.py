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
    }
    if docs_folder(current_app.config) is not None:
        links['docs'] = url_for('docs_site.docs_index')
    return links


@bp.route('/')
def index():
    """Version discovery: the API versions this service speaks.

    **Example answer**:

    .. sourcecode:: json

        {"versions": [{"id": "v1", "status": "CURRENT",
                       "links": {"self": "/v1", "clouds": "/v1/clouds"}}]}

    :status 200: always.
    """
    return jsonify({'versions': [{'id': API_VERSION, 'status': 'CURRENT',
                                  'links': _links()}]})


@bp.route('/v1')
def version():
    """The v1 API: its collections.

    :>json string id: ``v1``.
    :>json object links: the collections' paths.
    :status 200: always.
    """
    return jsonify({'id': API_VERSION, 'status': 'CURRENT', 'links': _links()})


@bp.route('/healthz')
def healthz():
    """Liveness: the process serves requests.

    :>json string status: ``ok``.
    :status 200: always.
    """
    return jsonify({'status': 'ok'})
