"""Fixtures for the simulated cloud's tests (nothing here touches sys.path)."""

import pytest

from dispatcher.lib.simulator import SimulatorNodeDriver


@pytest.fixture
def state_path(tmp_path):
    return str(tmp_path / 'state' / 'cloud.sqlite')


@pytest.fixture
def make_driver(state_path):
    """Build drivers on the test's state file; boot is instant by default."""

    def make(**kwargs):
        kwargs.setdefault('state_path', state_path)
        kwargs.setdefault('boot_time', 0)
        return SimulatorNodeDriver('key', 'secret', **kwargs)

    return make


@pytest.fixture
def driver(make_driver):
    return make_driver()
