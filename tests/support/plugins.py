"""Installing provider plugins in a test, and reading them once more.

The cloud factory reads its registry once per process; a test that installs
a plugin (or maps a label) reads it again, and again after the test.
"""

import subprocess
import sys

from dispatcher.lib import cloud_factory
from dispatcher.services import providers


def registry_read_again():
    """A fixture body: the registry read with the test's plugins, then
    without them once the test is over."""
    cloud_factory.reload()
    providers.forget()
    yield
    cloud_factory.reload()
    providers.forget()


def install(source, target):
    """``pip install`` the distribution in folder ``source`` into the
    folder ``target`` (put it on ``sys.path`` to use it)."""
    subprocess.run(
        [
            sys.executable,
            '-m',
            'pip',
            'install',
            '--quiet',
            '--no-deps',
            '--no-build-isolation',
            '--target',
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
