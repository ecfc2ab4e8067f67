"""Tests against real emulator servers: cross-checks, failures, identity.

``moto`` and ``mimic`` are the test run's emulators (started once, skipped
or, in CI, failed when they cannot run); ``moto`` is reset before each
test.  Each module sets its own ``farm_config`` (see
:mod:`tests.backends.farm_entries`).
"""

import pytest

from tests.backends import mimic_server, moto_server
from tests.backends.emulators import shared


@pytest.fixture
def moto(request):
    """The test run's moto server, with no state left by earlier tests."""
    server = shared(request.config, 'moto', moto_server.MotoServer)
    server.reset()
    return server


@pytest.fixture
def mimic(request):
    """The test run's mimic server."""
    return shared(request.config, 'mimic', mimic_server.MimicServer)
