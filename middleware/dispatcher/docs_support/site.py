"""The HTML documentation, for any install.

A checkout builds it into ``docs/_build/html`` (``./make_mw_docs.sh``).
An installed package carries the documentation's sources in
``dispatcher/docs_tree`` (``setup.py`` copies them there when it builds
the package), and ``mw docs-build`` builds them into the instance folder
(``docs-html``), where ``/docs/`` finds them whatever the install.
"""

import os
import subprocess
import sys

import dispatcher

#: The sources shipped with an installed package (a tree with ``docs/``).
PACKAGE_TREE = os.path.join(os.path.dirname(dispatcher.__file__), 'docs_tree')

#: The checkout this package runs from, when it is one.
SOURCE_TREE = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(dispatcher.__file__)))
)

#: Where ``mw docs-build`` puts the site, in the instance folder.
INSTANCE_SITE = 'docs-html'


class DocsBuildError(Exception):
    """The documentation cannot be built; the message says what to do."""


def sources():
    """The tree holding ``docs/conf.py``: the package's own copy, else the
    checkout's; ``None`` when neither exists."""
    for tree in (PACKAGE_TREE, SOURCE_TREE):
        if os.path.isfile(os.path.join(tree, 'docs', 'conf.py')):
            return tree
    return None


def instance_site(instance_path):
    """The folder ``mw docs-build`` builds into."""
    return os.path.join(instance_path, INSTANCE_SITE)


def build(target):
    """Build the HTML site into ``target`` with Sphinx; returns ``target``.

    :raises DocsBuildError: no sources, Sphinx missing, or a failed build.
    """
    tree = sources()
    if tree is None:
        raise DocsBuildError(
            'this install carries no documentation sources; reinstall the '
            'package (pip install mw-dispatcher) or read the docs online'
        )
    try:
        import sphinx  # noqa: F401
        import sphinxcontrib.httpdomain  # noqa: F401
    except ImportError:
        raise DocsBuildError(
            'building the documentation needs Sphinx: pip install '
            "'mw-dispatcher[docs]' (and Graphviz's dot for the pictures)"
        )
    done = subprocess.run(
        [
            sys.executable,
            '-m',
            'sphinx',
            '-q',
            '-b',
            'html',
            os.path.join(tree, 'docs'),
            target,
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not os.path.isfile(
        os.path.join(target, 'index.html')
    ):
        raise DocsBuildError(
            'sphinx could not build the documentation: %s'
            % (done.stderr.strip().splitlines() or ['no output'])[-1]
        )
    return target
