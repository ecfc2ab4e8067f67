"""Fixtures shared by the whole suite.

``app`` and ``client`` are built with ``create_app(test_config)`` on a
temporary instance folder and a test farm of simulated clouds plus
libcloud's dummy; ``live_server`` serves the same app over real HTTP on a
free 127.0.0.1 port.
"""

import os
import sys
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'middleware'))
sys.path.insert(0, ROOT)
# The service's default instance folder is the user's data folder: in the
# tests, one of their own (subprocesses inherit it).
os.environ['XDG_DATA_HOME'] = tempfile.mkdtemp(prefix='mw-tests-data-')

from dispatcher import close_app, create_app, storage  # noqa: E402
from dispatcher.services import tokens  # noqa: E402
from tests.support.servers import LiveServer  # noqa: E402

#: The farm every API test runs against: simulated clouds and the dummy.
TEST_FARM = {
    'default': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0.3}},
    'sim-b': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0.0}},
    'dummy': {'ENGINE': 'dummy', 'USER': '2'},
}


@pytest.fixture
def farm_config():
    """The ``CLOUD_FARM`` of the ``app`` fixture; tests may change it."""
    return {name: dict(entry) for name, entry in TEST_FARM.items()}


@pytest.fixture
def app_config(tmp_path, farm_config):
    """The ``test_config`` given to ``create_app``."""
    return {
        'TESTING': True,
        'INSTANCE_PATH': str(tmp_path / 'instance'),
        'CLOUD_FARM': farm_config,
        'PROVIDER_TIMEOUT': 5.0,
        'LOG_LEVEL': 'WARNING',
    }


@pytest.fixture
def app(app_config, monkeypatch):
    """The app, with an admin token made for the tests (``admin_token``)."""
    for name in list(os.environ):
        if name.startswith('MW_'):
            monkeypatch.delenv(name)
    application = create_app(app_config)
    application.test_admin_token = tokens.create_token(
        storage.database(application), 'admin', name='tests'
    )[1]
    yield application
    close_app(application)


@pytest.fixture
def admin_token(app):
    """The value of an admin token of ``app`` (every cloud)."""
    return app.test_admin_token


@pytest.fixture
def client(app, admin_token):
    """A test client sending ``admin_token`` unless told otherwise."""
    test_client = app.test_client()
    test_client.environ_base['HTTP_X_AUTH_TOKEN'] = admin_token
    return test_client


@pytest.fixture
def live_server(app, admin_token, monkeypatch):
    """``app`` over real HTTP; ``live_server.url`` is its base URL.

    ``MW_TOKEN`` holds ``admin_token``, for the ``mw`` client.
    """
    monkeypatch.setenv('MW_TOKEN', admin_token)
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
