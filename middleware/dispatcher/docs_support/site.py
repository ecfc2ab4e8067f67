"""Where the built HTML documentation is, if it has been built.

The setting ``DOCS_PATH`` names the folder; without it the service looks for
``docs/_build/html`` in the source tree it runs from (a checkout installed
with ``pip install -e .``).
"""

import os

#: ``docs/_build/html`` of the source tree holding this package.
SOURCE_TREE_DOCS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))), 'docs', '_build', 'html')

#: How to build the documentation, for the answer when it is not built.
HOW_TO_BUILD = ("build it with ./make_mw_docs.sh (or sphinx-build -W docs "
                "docs/_build/html) in the source tree, or set DOCS_PATH to "
                "a folder of built HTML documentation")


def docs_folder(config):
    """The folder of built HTML documentation, or ``None`` when not built.

    A folder counts as built when it holds an ``index.html``.
    """
    folder = config.get('DOCS_PATH') or SOURCE_TREE_DOCS
    if os.path.isfile(os.path.join(folder, 'index.html')):
        return os.path.abspath(folder)
    return None
