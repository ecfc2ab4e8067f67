"""The conformance suite: the same API tests against every provider label.

``backend`` is parametrised over :data:`backends.BACKENDS`; ``farm_config``
(of ``tests/conftest.py``) is replaced by a farm of that backend's cloud
and a simulated peer, so ``client`` serves exactly that farm.  Emulators
start once per test run; each test gets a clean provider state (moto is
reset, mimic gives a fresh tenant, libvirt and the simulator a fresh file).
"""

import pytest

from dispatcher.testing import CloudAPI, clouds
from tests.conformance import backends


@pytest.fixture(params=list(backends.BACKENDS))
def backend(request, tmp_path):
    """The cloud under test (skips or, in CI, fails without its emulator)."""
    return backends.BACKENDS[request.param](request, tmp_path)


@pytest.fixture
def farm_config(backend):
    beside = clouds.peer()
    return {
        backend.cloud: dict(backend.entry),
        beside.cloud: dict(beside.entry),
    }


@pytest.fixture
def api(client, backend):
    """The v1 API of the cloud under test."""
    return CloudAPI(client, backend)


@pytest.fixture
def peer(client, backend):
    """The simulated peer cloud's API."""
    return CloudAPI(client, clouds.peer())
