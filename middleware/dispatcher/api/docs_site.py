"""The built HTML documentation, browsable from the service at ``/docs/``.

The setting ``DOCS_PATH`` names the folder; without it the service looks for
``docs/_build/html`` in the source tree it runs from (a checkout installed
with ``pip install -e .``), then for the site ``mw docs-build`` builds in
the instance folder (any install).
"""

import os

from flask import current_app, send_from_directory
from werkzeug.security import safe_join

from dispatcher import errors
from dispatcher.api.framework import Blueprint
from dispatcher.docs_support import site

bp = Blueprint('docs_site', __name__, url_prefix='/docs')

#: ``docs/_build/html`` of the source tree holding this package.
SOURCE_TREE_DOCS = os.path.join(
    os.path.dirname(
        os.path.dirname(
            os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        )
    ),
    'docs',
    '_build',
    'html',
)

#: How to build the documentation, for the answer when it is not built.
HOW_TO_BUILD = (
    'build it with mw docs-build (any install), or ./make_mw_docs.sh in '
    'the source tree, or set DOCS_PATH to a folder of built HTML '
    'documentation'
)

HTML = 'text/html'


def docs_folder(config, instance_path=None):
    """The folder of built HTML documentation, or ``None`` when not built:
    ``DOCS_PATH``, else the checkout's build, else ``mw docs-build``'s site
    in the instance folder.  A folder counts as built when it holds an
    ``index.html``."""
    if config.get('DOCS_PATH'):
        candidates = [config['DOCS_PATH']]
    else:
        candidates = [SOURCE_TREE_DOCS]
        if instance_path:
            candidates.append(site.instance_site(instance_path))
    for folder in candidates:
        if os.path.isfile(os.path.join(folder, 'index.html')):
            return os.path.abspath(folder)
    return None


def _built_folder():
    folder = docs_folder(current_app.config, current_app.instance_path)
    if folder is None:
        raise errors.NotFound(
            'the documentation is not built: ' + HOW_TO_BUILD,
            code='docs_not_built',
        )
    return folder


@bp.route('/')
@bp.response(200, content_type=HTML, description='the front page')
@bp.errors(404)
def docs_index():
    """The documentation's front page (HTML)."""
    return send_from_directory(_built_folder(), 'index.html')


@bp.route('/<path:filename>')
@bp.response(200, content_type='*/*', description='the file')
@bp.alt_response(
    206,
    success=True,
    content_type='*/*',
    description='the part of the file a ``Range`` asked for',
)
@bp.alt_response(
    304,
    success=True,
    description='the copy the client has '
    '(``If-None-Match``, ``If-Modified-Since``) is current',
)
@bp.errors(404, 416)
def docs_file(filename):
    """A page, style sheet, script or image of the documentation."""
    folder = _built_folder()
    path = safe_join(folder, filename)
    if path is not None and os.path.isdir(path):
        filename = filename.rstrip('/') + '/index.html'
    return send_from_directory(folder, filename)
