"""Fixtures of the orchestration tests: an app on simulated clouds, on
SQLite and on PostgreSQL (``database_url``)."""

import copy
import os

import pytest

from dispatcher import close_app, create_app, storage
from tests.storage.backends import database_url  # noqa: F401

#: Fast simulated clouds: nodes run 0.2 s after their creation.
STACK_FARM = {
    'default': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0.2}},
    'sim-b': {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {'boot_time': 0.2, 'latency': 0.01},
    },
    'sim-broken': {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {
            'boot_time': 0.2,
            'fail_with': 'server_error',
            'failure_rate': 1.0,
            'fail_operations': ['create_node'],
        },
    },
}


@pytest.fixture
def farm_config():
    """The farm of ``stack_app``; a test may change it first."""
    return copy.deepcopy(STACK_FARM)


@pytest.fixture
def stack_settings(tmp_path, database_url, farm_config):  # noqa: F811
    """The ``test_config`` of ``stack_app``; a test may change it first."""
    return {
        'TESTING': True,
        'AUTH_ENABLED': False,
        'INSTANCE_PATH': str(tmp_path / 'instance'),
        'DATABASE_URL': database_url,
        'CLOUD_FARM': farm_config,
        'PROVIDER_TIMEOUT': 10.0,
        'JOB_LEASE_SECONDS': 3,
        'JOB_CONCURRENCY_PER_CLOUD': 2,
        'LOG_LEVEL': 'WARNING',
    }


@pytest.fixture
def stack_app(stack_settings, monkeypatch):
    """The app; its jobs, clouds and database are closed afterwards."""
    for name in list(os.environ):
        if name.startswith('MW_'):
            monkeypatch.delenv(name)
    app = create_app(stack_settings)
    yield app
    app.extensions['dispatcher.jobs'].shutdown(wait=True)
    close_app(app)
    storage.database(app).dispose()


@pytest.fixture
def api(stack_app):
    """A test client of ``stack_app``."""
    return stack_app.test_client()
