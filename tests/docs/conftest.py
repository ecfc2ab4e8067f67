"""Fixtures of the documentation tests.

The ``require`` fixture skips a test whose tool is not installed (the
README's test command installs only the ``test`` extra), except under
``CI=true``, where a missing tool is a failure: CI installs the ``docs``
extra and Chromium.
``built_docs`` is the HTML documentation, built once per session with
warnings as errors (or the build named by ``MW_DOCS_BUILT``).
"""

import importlib
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)
DOCS = os.path.join(ROOT, 'docs')


def in_ci():
    """Whether the tests run in continuous integration."""
    return os.environ.get('CI', '').lower() in ('1', 'true', 'yes')


def _missing(message):
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def require_module(module):
    """The module, or skip (fail in CI) saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        _missing("%s is not installed: pip install -e '.[docs]'" % module)


@pytest.fixture(scope='session')
def require():
    """``require(module)``: the module, or skip (fail in CI)."""
    return require_module


@pytest.fixture(scope='session')
def require_program():
    """``require_program(name, package)``: its path, or skip (fail in CI)."""

    def find(name, package):
        path = shutil.which(name)
        if path is None:
            _missing(
                '%s is not installed: apt-get install %s' % (name, package)
            )
        return path

    return find


@pytest.fixture(scope='session')
def built_docs(tmp_path_factory):
    """The folder of the HTML documentation, built with ``-W``."""
    given = os.environ.get('MW_DOCS_BUILT')
    if given and os.path.isfile(os.path.join(given, 'index.html')):
        return os.path.abspath(given)
    require_module('sphinx')
    require_module('sphinxcontrib.httpdomain')
    out = str(tmp_path_factory.mktemp('docs-html'))
    env = dict(os.environ)
    env.pop('MW_SETTINGS', None)
    result = subprocess.run(
        [
            sys.executable,
            '-m',
            'sphinx',
            '-W',
            '-E',
            '-q',
            '-b',
            'html',
            DOCS,
            out,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, (
        'the documentation does not build with -W:\n%s%s'
        % (result.stdout[-5000:], result.stderr[-5000:])
    )
    return out
