"""Sphinx configuration of the middleware's documentation.

Build with ``sphinx-build -W docs docs/_build/html`` (warnings are errors),
or with ``./make_mw_docs.sh``, which also captures live answers of a
running service into the pages.
"""

import logging
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, 'middleware'))
sys.path.insert(0, os.path.join(HERE, '_ext'))

import dispatcher  # noqa: E402

# The documented application migrates its temporary database when it is
# built; its progress is no news in the build's output.
logging.getLogger('alembic').setLevel(logging.WARNING)

project = 'mw: one JSON API over every cloud'
author = 'the mw authors'
copyright = 'the mw authors'
version = release = dispatcher.__version__

extensions = [
    'sphinx.ext.autodoc',
    'sphinx.ext.graphviz',
    'sphinx.ext.inheritance_diagram',
    'sphinxcontrib.httpdomain',
    'sphinxcontrib.openapi',
    'mw_docs',
    'mw_live',
]

# The HTTP reference: the generated OpenAPI document, rendered into
# httpdomain directives (mw_docs' mw-api-reference).
openapi_default_renderer = 'httpdomain'

exclude_patterns = [
    '_build',
    '_live',
    '_generated',
    'benchmarks.rst',
    'examples',
]
templates_path = []
highlight_language = 'none'

try:
    import furo  # noqa: F401

    html_theme = 'furo'
except ImportError:
    html_theme = 'alabaster'
html_title = 'mw %s' % release
html_static_path = []

# The service's own headers are documented; strict mode checks the rest.
http_headers_ignore_prefixes = ['X-']
http_index_shortname = 'api'
http_index_localname = 'HTTP API v1'

autodoc_member_order = 'bysource'

# Pictures (the layers, the cloud factory's classes) are drawn by graphviz
# when the site is built, from the code itself.
graphviz_output_format = 'svg'
inheritance_graph_attrs = {'rankdir': 'TB', 'size': '"9.0, 6.0"'}
inheritance_node_attrs = {
    'fontsize': 10,
    'shape': 'box',
    'style': '"rounded,filled"',
    'fillcolor': '"#eef3fb"',
}
