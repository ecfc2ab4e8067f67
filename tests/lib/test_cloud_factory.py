"""The cloud factory: built-in labels, libcloud's providers, plugins."""

import importlib
import sys

import pytest

from dispatcher import close_app, create_app
from dispatcher.lib import Provider, cloud_factory
from dispatcher.lib.cloud_factory.drivers import GenericDriver
from tests.conftest import ROOT
from tests.support.plugins import install, registry_read_again


@pytest.mark.parametrize(
    'label',
    [
        Provider.DUMMY,
        Provider.OPENSTACK,
        Provider.EUCALYPTUS,
        Provider.RACKSPACE,
        Provider.EC2,
        Provider.LIBVIRT,
        Provider.SIMULATOR,
    ],
)
def test_every_builtin_label_has_its_own_driver_class(label):
    driver_class = cloud_factory.get_driver_class(label)
    assert issubclass(driver_class, GenericDriver)
    assert driver_class is not GenericDriver


def test_any_libcloud_provider_is_served_by_generic_driver():
    assert cloud_factory.get_driver_class('digitalocean') is GenericDriver
    assert 'vultr' in cloud_factory.known_labels()


def test_unknown_label_names_the_known_ones():
    with pytest.raises(cloud_factory.UnknownProvider) as raised:
        cloud_factory.get_driver_class('nimbus-cloud-9')
    message = str(raised.value)
    assert "'nimbus-cloud-9'" in message
    assert 'simulator' in message and 'openstack' in message


def test_generic_driver_publishes_what_libcloud_implements():
    operations = GenericDriver.published_operations('digitalocean')
    assert 'create_node' in operations and 'list_nodes' in operations
    dummy = cloud_factory.get_driver_class('dummy')
    assert 'start_node' not in dummy.published_operations('dummy')


@pytest.fixture
def installed_plugins(tmp_path_factory, monkeypatch):
    """The example plugins, installed into a folder put on ``sys.path``."""
    target = tmp_path_factory.mktemp('site')
    for plugin in ('mw-example-cloud', 'mw-clashing-cloud'):
        install('%s/tests/plugins/%s' % (ROOT, plugin), target)
    monkeypatch.syspath_prepend(str(target))
    importlib.invalidate_caches()
    for _ in registry_read_again():
        yield target
    for name in ('mw_example_cloud', 'mw_clashing_cloud'):
        sys.modules.pop(name, None)


def test_installed_plugin_label_is_served(installed_plugins, tmp_path):
    assert 'example-cloud' in cloud_factory.known_labels()
    client = create_app(
        {
            'INSTANCE_PATH': str(tmp_path),
            'LOG_LEVEL': 'WARNING',
            'AUTH_ENABLED': False,
            'CLOUD_FARM': {'third-party': {'ENGINE': 'example-cloud'}},
        }
    ).test_client()
    providers = client.get('/v1/providers?name=example-cloud').get_json()
    assert providers['providers'][0]['source'] == 'plugin'
    assert 'create_node' in providers['providers'][0]['capabilities']
    created = client.post(
        '/v1/clouds/third-party/nodes',
        json={'name': 'plugged-1', 'size': 'small', 'image': 'img-debian-12'},
    )
    assert created.status_code == 201
    nodes = client.get('/v1/clouds/third-party/nodes').get_json()['nodes']
    assert [n['name'] for n in nodes] == ['plugged-1']


def test_plugin_may_not_take_a_builtin_label(
    installed_plugins, tmp_path, caplog
):
    assert (
        cloud_factory.driver_map()['ec2']
        == cloud_factory.BUILTIN_DRIVERS['ec2']
    )
    assert cloud_factory.get_driver_class('ec2').__name__ == 'EC2Driver'
    with caplog.at_level('WARNING', logger='dispatcher'):
        app = create_app(
            {
                'INSTANCE_PATH': str(tmp_path),
                'LOG_LEVEL': 'WARNING',
                'AUTH_ENABLED': False,
                'CLOUD_FARM': {
                    # Never the real endpoint: the app's inventory lists
                    # its clouds in the background.
                    'aws': {
                        'ENGINE': 'ec2',
                        'USER': 'a',
                        'PASSWORD': 'b',
                        'EXTRA_PARAMS': {'endpoint': 'http://127.0.0.1:9'},
                    },
                    'sim': {'ENGINE': 'simulator'},
                },
            }
        )
    refused = [
        r.getMessage() for r in caplog.records if 'refused' in r.getMessage()
    ]
    assert len(refused) == 1
    assert 'mw_clashing_cloud:ClashingDriver' in refused[0]
    assert "'ec2'" in refused[0]
    client = app.test_client()
    aws = client.get('/v1/clouds/aws').get_json()['cloud']
    assert aws['status'] == 'available', aws['reason']
    assert 'create_node' in aws['capabilities']
    provider = client.get('/v1/providers/ec2').get_json()['provider']
    assert provider['source'] == 'builtin'
    assert provider['conflicts'] == ['mw_clashing_cloud:ClashingDriver']
    listed = client.get('/v1/providers?name=ec2').get_json()['providers']
    assert listed[0]['conflicts'] == ['mw_clashing_cloud:ClashingDriver']
    assert client.get('/v1/clouds/sim/nodes').status_code == 200
    app.extensions['dispatcher.jobs'].shutdown(wait=True)
    close_app(app)


def test_the_registry_is_read_once_per_process(monkeypatch):
    reads = []
    real = cloud_factory.plugin_entry_points

    def counted():
        reads.append(1)
        return real()

    monkeypatch.setattr(cloud_factory, 'plugin_entry_points', counted)
    for _ in registry_read_again():
        for label in ('ec2', 'simulator', 'digitalocean', 'dummy'):
            cloud_factory.get_driver_class(label)
        cloud_factory.known_labels()
        assert len(reads) == 1
