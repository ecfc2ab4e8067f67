"""The documentation is served for any install, not only a checkout.

The project is built into a wheel, as ``pip install .`` builds it, and the
wheel is installed into a folder of its own: its ``mw docs-build`` builds
the site from the sources the package carries, into the instance folder,
and the service of that install serves it at ``/docs/``.
"""

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    """The project's wheel installed alone into a folder: its path."""
    if not os.path.isdir(os.path.join(ROOT, '.git')):
        pytest.skip('the project is not a git checkout: its files are unknown')
    work = tmp_path_factory.mktemp('install')
    files = subprocess.run(
        ['git', 'ls-files', '-co', '--exclude-standard'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    source = work / 'mw-dispatcher'
    for name in files:
        if os.path.isfile(os.path.join(ROOT, name)):
            target = source / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(os.path.join(ROOT, name), target)
    pip = [sys.executable, '-m', 'pip', '--disable-pip-version-check']
    subprocess.run(
        pip
        + ['wheel', '--no-deps', '-q', '-w', str(work / 'wheel')]
        + [str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = os.listdir(work / 'wheel')
    subprocess.run(
        pip
        + ['install', '--no-deps', '-q', '--target', str(work / 'site')]
        + [str(work / 'wheel' / wheel)],
        check=True,
        capture_output=True,
    )
    return work / 'site'


def _run(site, instance, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith('MW_')}
    env.update(PYTHONPATH=str(site), MW_INSTANCE_PATH=str(instance))
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(instance.parent),
        timeout=300,
    )


SERVE = """
import dispatcher
from dispatcher import create_app
assert dispatcher.__file__.startswith(%r), dispatcher.__file__
app = create_app({'AUTH_ENABLED': False})
client = app.test_client()
page = client.get('/docs/')
print(page.status_code, page.mimetype)
print(client.get('/docs').status_code)
"""


def test_an_installed_package_builds_and_serves_its_docs(installed, tmp_path):
    instance = tmp_path / 'instance'
    before = _run(installed, instance, '-c', SERVE % str(installed))
    assert before.returncode == 0, before.stderr
    assert before.stdout.split()[0] == '404'
    built = _run(installed, instance, '-m', 'dispatcher.cli', 'docs-build')
    assert built.returncode == 0, built.stderr
    assert (instance / 'docs-html' / 'index.html').is_file()
    assert (instance / 'docs-html' / 'inventory.html').is_file()
    served = _run(installed, instance, '-c', SERVE % str(installed))
    assert served.returncode == 0, served.stderr
    assert served.stdout.split()[:3] == ['200', 'text/html', '308']


def test_a_build_without_sphinx_says_what_to_install(installed, tmp_path):
    hidden = tmp_path / 'no-sphinx'
    (hidden / 'sphinx').mkdir(parents=True)
    (hidden / 'sphinx' / '__init__.py').write_text(
        "raise ImportError('no sphinx here')\n"
    )
    env_site = '%s%s%s' % (hidden, os.pathsep, installed)
    built = _run(
        env_site, tmp_path / 'instance', '-m', 'dispatcher.cli', 'docs-build'
    )
    assert built.returncode != 0
    assert "pip install 'mw-dispatcher[docs]'" in built.stderr
