"""The driver test kit as a pytest plugin (``-p dispatcher.testing.plugin``).

Fixtures:

``mw_cloud``
    the :class:`~dispatcher.testing.CloudUnderTest`: from ``--mw-entry``
    (a farm entry as JSON, repeatable) or ``--mw-entry-points`` (every
    installed plugin of ``dispatcher.cloud_drivers`` with its driver's
    ``sample_entry``), or a fixture of the author's own.
``mw_app``, ``mw_client``
    the service, on a temporary instance folder, with a farm of that cloud
    and a simulated peer; token checks off (the test client is local).
``api``, ``peer``
    :class:`~dispatcher.testing.CloudAPI` of the cloud under test and of
    the peer: what the checks take.
"""

import json

import pytest

from dispatcher import close_app, create_app
from dispatcher.lib import cloud_factory
from dispatcher.testing import clouds
from dispatcher.testing.cloud_api import CloudAPI
from dispatcher.testing.clouds import PEER, PEER_ENTRY, CloudUnderTest


def pytest_addoption(parser):
    group = parser.getgroup('mw', 'mw-dispatcher driver test kit')
    group.addoption(
        '--mw-entry',
        action='append',
        default=[],
        metavar='JSON',
        help='a farm entry to run the conformance checks against',
    )
    group.addoption(
        '--mw-entry-points',
        action='store_true',
        help='run them against every installed dispatcher.cloud_drivers '
        'plugin, with its sample entry',
    )


def clouds_from_options(config):
    """``pytest.param`` of each cloud the command line names."""
    params = []
    for text in config.getoption('mw_entry'):
        try:
            entry = json.loads(text)
        except ValueError as exc:
            raise pytest.UsageError('--mw-entry is not JSON: %s' % exc)
        if not isinstance(entry, dict) or not entry.get('ENGINE'):
            raise pytest.UsageError('--mw-entry needs an object with ENGINE')
        label = entry['ENGINE']
        params.append(pytest.param(CloudUnderTest(label, entry), id=label))
    if config.getoption('mw_entry_points'):
        params.extend(entry_point_clouds())
    return params


def entry_point_clouds():
    """One ``pytest.param`` per installed plugin label; a plugin refused
    because its label is taken is skipped with the reason."""
    refused = cloud_factory.conflicts()
    params = []
    seen = set()
    for entry_point in cloud_factory.plugin_entry_points():
        label = entry_point.name
        if entry_point.value in refused.get(label, ()):
            params.append(
                pytest.param(
                    None,
                    id='%s(refused)' % label,
                    marks=pytest.mark.skip(
                        reason='plugin %s refused: label %r is taken'
                        % (entry_point.value, label)
                    ),
                )
            )
            continue
        if label in seen:
            continue
        seen.add(label)
        driver_class = cloud_factory.get_driver_class(label)
        entry = driver_class.example_entry(label)
        params.append(pytest.param(CloudUnderTest(label, entry), id=label))
    return params


def pytest_generate_tests(metafunc):
    if 'mw_cloud' in metafunc.fixturenames:
        params = clouds_from_options(metafunc.config)
        if params:
            metafunc.parametrize('mw_cloud', params)


@pytest.fixture
def mw_cloud():
    """The cloud under test; give ``--mw-entry`` or define this fixture."""
    pytest.skip(
        'no cloud under test: pass --mw-entry or --mw-entry-points, or '
        'define a mw_cloud fixture'
    )


@pytest.fixture
def mw_app(tmp_path, mw_cloud):
    """The service with a farm of the cloud under test and its peer."""
    application = create_app(
        {
            'TESTING': True,
            'INSTANCE_PATH': str(tmp_path / 'instance'),
            'AUTH_ENABLED': False,
            'LOG_LEVEL': 'WARNING',
            'PROVIDER_TIMEOUT': 10.0,
            'CLOUD_FARM': {
                mw_cloud.cloud: dict(mw_cloud.entry),
                PEER: dict(PEER_ENTRY),
            },
        }
    )
    yield application
    close_app(application)


@pytest.fixture
def mw_client(mw_app):
    return mw_app.test_client()


@pytest.fixture
def api(mw_client, mw_cloud):
    """The v1 API of the cloud under test."""
    return CloudAPI(mw_client, mw_cloud)


@pytest.fixture
def peer(mw_client):
    """The simulated peer cloud's API."""
    return CloudAPI(mw_client, clouds.peer())
