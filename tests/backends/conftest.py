"""Tests against real emulator servers: cross-checks, failures, identity.

``moto`` and ``mimic`` are the session's emulators (started once, skipped
or, in CI, failed when they cannot run); ``moto`` is reset before each
test.  Each module sets its own ``farm_config``.
"""

import pytest

from tests.backends import mimic_server, moto_server
from tests.backends.emulators import shared


@pytest.fixture
def moto(request):
    """The session's moto server, with no state left by earlier tests."""
    server = shared(request.config, 'moto', moto_server.MotoServer)
    server.reset()
    return server


@pytest.fixture
def mimic(request):
    """The session's mimic server."""
    return shared(request.config, 'mimic', mimic_server.MimicServer)


def ec2_entry(moto, label='ec2', **keys):
    """A farm entry for moto in the moto dialect."""
    entry = {'ENGINE': label, 'USER': moto_server.ACCESS_KEY,
             'PASSWORD': moto_server.SECRET_KEY,
             'EXTRA_PARAMS': {'endpoint': moto.url,
                              'endpoint_dialect': 'moto'}}
    entry.update(keys)
    return entry


def openstack_entry(auth_url, user='mw-user', tenant='mw-tenant', **keys):
    """A farm entry for a Keystone v2.0 cloud at ``auth_url``."""
    entry = {'ENGINE': 'openstack', 'USER': user,
             'PASSWORD': mimic_server.PASSWORD,
             'EXTRA_PARAMS': {'auth_url': auth_url,
                              'auth_version': '2.0_password',
                              'tenant': tenant,
                              'region': mimic_server.REGION,
                              'service_name': mimic_server.SERVICE_NAME}}
    entry.update(keys)
    return entry
