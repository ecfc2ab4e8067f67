"""Installing provider plugins in a test, and reading them once more.

The cloud factory reads its registry once per process; a test that installs
a plugin (or maps a label) reads it again, and again after the test.
"""

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
