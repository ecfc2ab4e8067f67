"""Emulators of real cloud APIs, shared by the whole test run.

Each emulator (moto for EC2 and Eucalyptus, mimic for OpenStack and
Rackspace) starts once per pytest run, on a free 127.0.0.1 port, the first
time a test asks for it, and stops when the run ends.  One that cannot be
started on this machine makes its tests skip with the reason, except under
CI (``CI=true``), where a missing emulator is a failure: CI installs them
all (``.ci/steps/20-backends.sh``).
"""

import os

import pytest

_KEY = pytest.StashKey()


class EmulatorUnavailable(Exception):
    """The emulator cannot run here; the message says why."""


def in_ci():
    """Whether this run is CI's, where every emulator must be present."""
    return os.environ.get('CI', '').lower() in ('1', 'true', 'yes')


def unavailable(what, reason):
    """Skip (locally) or fail (in CI) a test that needs ``what``."""
    message = '%s is not available: %s' % (what, reason)
    if in_ci():
        pytest.fail(
            message + ' (CI=true: every emulator must run)', pytrace=False
        )
    pytest.skip(message)


def shared(config, name, factory):
    """The test run's emulator ``name``, started by ``factory()`` once.

    A failure to start is remembered, so that every test needing that
    emulator reports the same reason without trying again.
    """
    started = config.stash.setdefault(_KEY, {})
    if name not in started:
        try:
            server = factory()
            server.start()
        except EmulatorUnavailable as exc:
            started[name] = exc
        else:
            started[name] = server
            config.add_cleanup(server.stop)
    server = started[name]
    if isinstance(server, EmulatorUnavailable):
        unavailable(name, server)
    return server
