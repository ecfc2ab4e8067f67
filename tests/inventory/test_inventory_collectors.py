"""Collectors: the contract every installed one honours, options by
name, and the docs' example collector installed as a real plugin."""

import os
import sys

import pytest

from dispatcher.lib import collectors
from dispatcher.lib.cloud_init import prepare_cloud
from tests.support.plugins import install

EXAMPLE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    'docs',
    'examples',
    'collector',
)


@pytest.fixture
def example_installed(tmp_path, monkeypatch):
    install(EXAMPLE, tmp_path / 'site')
    monkeypatch.syspath_prepend(str(tmp_path / 'site'))
    sys.modules.pop('example_collector', None)
    collectors.reload()
    yield
    collectors.reload()
    sys.modules.pop('example_collector', None)


@pytest.fixture
def simulated(tmp_path):
    cloud = prepare_cloud(
        'sim',
        {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0}},
        instance_path=str(tmp_path),
    )
    yield cloud
    cloud.close()


def check_contract(name, cloud):
    """What every collector must do, checked on ``cloud``."""
    cls = collectors.collector_class(name)
    assert issubclass(cls, collectors.BaseCollector)
    options = {o.name: o for o in cls.get_config_opts()}
    assert {'period', 'burst_interval', 'burst_seconds'} <= set(options)
    collector = collectors.build(name, cloud, {})
    assert collector.name == name
    assert set(collector.kinds) <= set(collectors.KINDS)
    model = collector.execute()
    assert isinstance(model, collectors.Model)
    assert set(model.kinds) == set(collector.kinds)
    assert not model.failures
    for kind, items in model.items.items():
        for item in items:
            assert getattr(item, collectors.KEYS[kind])
    endpoints = collector.notification_endpoints
    assert all(
        isinstance(e, collectors.NotificationEndpoint) for e in endpoints
    )
    for kind in collector.kinds:
        assert collector.period(kind) > 0


def test_every_installed_collector_honours_the_contract(
    example_installed, simulated
):
    names = sorted(collectors.registry())
    assert {'cloud', 'own-images'} <= set(names)
    for name in names:
        check_contract(name, simulated)


def test_the_example_keeps_only_its_images_and_logs_changes(
    example_installed, simulated, caplog
):
    collector = collectors.build(
        'own-images', simulated, {'own-images': {'image_prefix': 'Ubuntu'}}
    )
    images = collector.execute(['images']).items['images']
    assert images and all(i.name.startswith('Ubuntu') for i in images)
    event = collectors.Event('sim', 'nodes', 'created', 'n-1', None)
    matching = [
        e for e in collector.notification_endpoints if e.accepts(event)
    ]
    assert len(matching) == 2
    changed = collectors.Event('sim', 'nodes', 'changed', 'n-1', None)
    assert (
        len(
            [e for e in collector.notification_endpoints if e.accepts(changed)]
        )
        == 1
    )


def test_the_example_serves_a_cloud_through_the_api(
    example_installed, app_config
):
    from dispatcher import close_app, create_app

    config = dict(
        app_config,
        AUTH_ENABLED=False,
        COLLECTORS={'own-images': {'image_prefix': 'Debian'}},
    )
    config['CLOUD_FARM'] = dict(
        config['CLOUD_FARM'],
        own={'ENGINE': 'simulator', 'COLLECTOR': 'own-images'},
    )
    app = create_app(config)
    try:
        client = app.test_client()
        own = client.get('/v1/clouds/own/images').json['images']
        assert own and all(i['name'].startswith('Debian') for i in own)
        others = client.get('/v1/clouds/sim-b/images').json['images']
        assert len(others) > len(own)
    finally:
        close_app(app)


def test_an_unknown_collector_makes_the_cloud_unavailable_by_name(tmp_path):
    cloud = prepare_cloud(
        'odd',
        {'ENGINE': 'simulator', 'COLLECTOR': 'nosuch'},
        instance_path=str(tmp_path),
    )
    assert not cloud.available
    assert "unknown collector 'nosuch'" in cloud.reason
    assert 'cloud' in cloud.reason


@pytest.mark.parametrize(
    'settings, message',
    [
        ({'cloud': {'period': 'often'}}, "COLLECTORS['cloud'].period must"),
        ({'cloud': {'period': 0}}, 'must be at least 1'),
        ({'cloud': {'colour': 'blue'}}, 'has no option colour'),
    ],
)
def test_bad_collector_options_are_named(simulated, settings, message):
    with pytest.raises(ValueError) as raised:
        collectors.build('cloud', simulated, settings)
    assert message in str(raised.value)


def test_a_cloud_with_bad_collector_options_is_served_live(app_config):
    from dispatcher import close_app, create_app

    app = create_app(
        dict(
            app_config,
            AUTH_ENABLED=False,
            COLLECTORS={'cloud': {'period': 'often'}},
        )
    )
    try:
        answer = app.test_client().get('/v1/clouds/sim-b/nodes')
        assert answer.status_code == 200
        assert answer.json['freshness']['age_s'] == 0
    finally:
        close_app(app)


def test_a_secret_option_is_never_shown_in_its_error():
    from dispatcher.lib.collectors import Option

    option = Option('token', int, 0, secret=True)
    with pytest.raises(ValueError) as raised:
        option.parse('s3cr3t-value', 'vendor')
    assert "COLLECTORS['vendor'].token must be a int" in str(raised.value)
    assert 's3cr3t-value' not in str(raised.value)
