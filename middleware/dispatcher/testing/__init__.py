"""The driver test kit: the conformance checks the built-in labels pass.

A driver author runs them, through the whole service (HTTP API, services,
the driver, libcloud and the provider), against a farm entry of their own.
From the command line, with nothing to write::

    python -m pytest -p dispatcher.testing.plugin \\
        --pyargs dispatcher.testing.conformance \\
        --mw-entry '{"ENGINE": "mycloud", "USER": "me", "PASSWORD": "..."}'

``--mw-entry-points`` runs them over every installed plugin of the group
``dispatcher.cloud_drivers``, each with its driver's ``sample_entry``.
Or in a test module of the driver's own project::

    import pytest
    from dispatcher.testing import CloudUnderTest
    from dispatcher.testing.conformance import *  # noqa: F403

    pytest_plugins = ['dispatcher.testing.plugin']

    @pytest.fixture
    def mw_cloud():
        return CloudUnderTest('mycloud', {'ENGINE': 'mycloud', ...})

Needs pytest (``pip install 'mw-dispatcher[test]'``).
"""

from dispatcher.testing.cloud_api import CloudAPI, unique_name, walk
from dispatcher.testing.clouds import PEER, CloudUnderTest, peer

__all__ = [
    'PEER',
    'CloudAPI',
    'CloudUnderTest',
    'peer',
    'unique_name',
    'walk',
]
