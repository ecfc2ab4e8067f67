"""The conformance suite: the same API tests against every provider label.

``backend`` is parametrised over :data:`backends.BACKENDS`; ``farm_config``
(of ``tests/conftest.py``) is replaced by a farm of that backend's cloud
and a simulated peer, so ``client`` serves exactly that farm.  Emulators
start once per session; each test gets a clean provider state (moto is
reset, mimic gives a fresh tenant, libvirt and the simulator a fresh file).
"""

import pytest

from tests.conformance.backends import BACKENDS, PEER, PEER_ENTRY
from tests.conformance.cloud_api import CloudAPI


@pytest.fixture(params=list(BACKENDS))
def backend(request, tmp_path):
    """The cloud under test (skips or, in CI, fails without its emulator)."""
    return BACKENDS[request.param](request, tmp_path)


@pytest.fixture
def farm_config(backend):
    return {backend.cloud: dict(backend.entry), PEER: dict(PEER_ENTRY)}


@pytest.fixture
def api(client, backend):
    """The v1 API of the cloud under test."""
    return CloudAPI(client, backend)


@pytest.fixture
def peer(client, backend):
    """The simulated peer cloud's API."""
    from tests.conformance.backends import simulator
    peer_backend = simulator(None, None)
    peer_backend.cloud = PEER
    return CloudAPI(client, peer_backend)
