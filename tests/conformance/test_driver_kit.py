"""The driver test kit, run as a driver author runs it.

The example plugins (``tests/plugins/``) and the docs' example driver are
installed into a folder of their own; pytest then runs in a subprocess
with the kit's plugin, outside this project's test configuration, as in a
driver's own project.
"""

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.support.plugins import install

PLUGINS = ('mw-example-cloud', 'mw-clashing-cloud')


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    """A folder holding the installed plugins."""
    target = tmp_path_factory.mktemp('kit-site')
    for plugin in PLUGINS:
        install(os.path.join(ROOT, 'tests', 'plugins', plugin), target)
    examples = tmp_path_factory.mktemp('docs-example')
    for name in ('pyproject.toml', 'example_driver.py'):
        shutil.copy(os.path.join(ROOT, 'docs', 'examples', name), examples)
    install(examples, target)
    return target


def run_kit(site, folder, *options):
    """pytest with the kit on the conformance checks; its exit code and
    output."""
    (folder / 'pytest.ini').write_text('[pytest]\n')
    environ = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            [str(site), os.path.join(ROOT, 'middleware')]
        ),
    )
    environ.pop('PYTEST_ADDOPTS', None)
    done = subprocess.run(
        [
            sys.executable,
            '-m',
            'pytest',
            '-p',
            'dispatcher.testing.plugin',
            '-p',
            'no:cacheprovider',
            '-rs',
            '--pyargs',
            'dispatcher.testing.conformance',
            *options,
        ],
        cwd=str(folder),
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.returncode, done.stdout + done.stderr


def _counts(output):
    found = dict(
        (word, int(number))
        for number, word in re.findall(
            r'(\d+) (passed|failed|skipped)', output
        )
    )
    return found.get('passed', 0), found.get('failed', 0)


def test_every_installed_plugin_passes_the_kit(site, tmp_path):
    code, output = run_kit(site, tmp_path, '--mw-entry-points')
    assert code == 0, output
    passed, failed = _counts(output)
    assert failed == 0 and passed > 40, output
    assert "plugin mw_clashing_cloud:ClashingDriver refused: label 'ec2'" in (
        output
    )


def test_the_kit_names_each_cloud_under_test(site, tmp_path):
    code, output = run_kit(
        site, tmp_path, '--mw-entry-points', '-v', '-k', 'create_node_is'
    )
    assert code == 0, output
    assert '[example-cloud] PASSED' in output
    assert '[labcloud] PASSED' in output


def test_an_author_runs_the_kit_on_a_farm_entry(site, tmp_path):
    entry = '{"ENGINE": "simulator", "EXTRA_PARAMS": {"boot_time": 0}}'
    code, output = run_kit(site, tmp_path, '--mw-entry', entry, '-v')
    assert code == 0, output
    assert '[simulator] PASSED' in output


def test_the_kit_fails_a_driver_that_breaks_the_contract(site, tmp_path):
    entry = '{"ENGINE": "simulator", "EXTRA_PARAMS": {"colour": "red"}}'
    code, output = run_kit(
        site, tmp_path, '--mw-entry', entry, '-k', 'available'
    )
    assert code == 1, output
    assert 'colour' in output


def test_without_a_cloud_the_kit_skips_saying_what_it_needs(site, tmp_path):
    code, output = run_kit(site, tmp_path, '-k', 'available')
    assert code == 0, output
    assert 'pass --mw-entry or --mw-entry-points' in output
