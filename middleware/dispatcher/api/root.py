"""Version discovery and liveness."""

from flask import current_app, url_for

from dispatcher.api.docs_site import docs_folder
from dispatcher.api.framework import Blueprint
from dispatcher.api.schemas.common import NoQuery
from dispatcher.api.schemas.root import Health, Version, Versions

bp = Blueprint('root', __name__)

API_VERSION = 'v1'


def _links():
    links = {
        'self': url_for('root.version'),
        'providers': url_for('providers.list_providers'),
        'clouds': url_for('clouds.list_clouds'),
        'nodes': url_for('inventory.list_all_nodes'),
        'stacks': url_for('stacks.list_stacks'),
        'jobs': url_for('jobs.list_jobs'),
        'events': url_for('events.list_events'),
        'tokens': url_for('tokens.list_tokens'),
        'openapi': url_for('openapi.openapi_document'),
    }
    if docs_folder(current_app.config, current_app.instance_path) is not None:
        links['docs'] = url_for('docs_site.docs_index')
    return links


def _version():
    return {'id': API_VERSION, 'status': 'CURRENT', 'links': _links()}


@bp.route('/')
@bp.arguments(NoQuery, location='query')
@bp.response(200, Versions)
def index(query):
    """Version discovery: the API versions this service speaks."""
    return {'versions': [_version()]}


@bp.route('/v1')
@bp.arguments(NoQuery, location='query')
@bp.response(200, Version)
def version(query):
    """The v1 API: its status and its collections."""
    return _version()


@bp.route('/healthz')
@bp.arguments(NoQuery, location='query')
@bp.response(200, Health)
def healthz(query):
    """Liveness: the process serves requests."""
    return {'status': 'ok'}
