"""Installing provider plugins in a test, and reading them once more.

The cloud factory reads its registry once per process; a test that installs
a plugin (or maps a label) reads it again, and again after the test.
"""

import os
import shutil
import subprocess
import sys
import tempfile

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
    folder ``target`` (put it on ``sys.path`` to use it).  It is built
    from a copy: setuptools builds in the source folder, where the suite's
    other processes may be building the same plugin."""
    with tempfile.TemporaryDirectory() as folder:
        copy = os.path.join(folder, os.path.basename(str(source)))
        shutil.copytree(
            str(source),
            copy,
            ignore=shutil.ignore_patterns('build', '*.egg-info'),
        )
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
                copy,
            ],
            check=True,
            capture_output=True,
        )
