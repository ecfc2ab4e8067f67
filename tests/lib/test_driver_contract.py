"""The driver contract: two methods, declared fields, one lookup per action.

Each driver here is mapped to a label of its own, as the docs' built-in
way does, and served through the API.
"""

import sys
import types

import pytest
from libcloud.compute.types import Provider as LibcloudProvider

from dispatcher.lib import cloud_factory
from dispatcher.lib.cloud_factory.configuration import MASK, Field
from dispatcher.lib.cloud_factory.drivers import GenericDriver
from dispatcher.lib.simulator import SimulatorNodeDriver
from tests.support.plugins import registry_read_again

MODULE = 'mw_contract_drivers'


class CountingNodeDriver(SimulatorNodeDriver):
    """The simulated cloud, counting the node listings asked of it."""

    listings = 0

    def list_nodes(self, *args, **kwargs):
        type(self).listings += 1
        return super().list_nodes(*args, **kwargs)


class TwoMethods(GenericDriver):
    """Only the two documented methods; no ``super().__init__()``."""

    def __init__(self, creds):
        self.path = creds['INSTANCE_PATH'] + '/two-methods.sqlite'

    def connect(self, **kwargs):
        return CountingNodeDriver('me', state_path=self.path, boot_time=0)


class LaterConnect(TwoMethods):
    """Its ``connect`` may go to the network: not called at start-up."""

    connect_at_start = False


class HowToEucalyptus(GenericDriver):
    """The original how-to's Eucalyptus driver, verbatim."""

    def __init__(self, creds):
        self.creds = creds
        self.user = self.creds.get('USER', '')
        self.password = self.creds.get('PASSWORD', '')
        self.extra = self.creds.get('EXTRA_PARAMS', {})
        self.extra['secret'] = self.password
        self.driver = cloud_factory_get_driver(LibcloudProvider.EUCALYPTUS)

    def connect(self, **kwargs):
        driver = self.driver(self.user, self.password, **self.extra)
        return driver


def cloud_factory_get_driver(provider):
    from libcloud.compute.providers import get_driver

    return get_driver(provider)


class Declared(GenericDriver):
    """Declares its fields and its libcloud class."""

    libcloud_class = SimulatorNodeDriver
    libcloud_parameters = False
    configuration = (
        Field('USER', required=True, help='the account'),
        Field('PASSWORD', required=True, secret=True, help='the key'),
        Field('zone', default='z1', help='where machines go'),
        Field('replicas', 'integer', default=1, help='how many copies'),
        Field('token', secret=True, help='a second secret'),
    )

    def __init__(self, creds):
        self.zone = creds['EXTRA_PARAMS']['zone']
        self.path = creds['INSTANCE_PATH'] + '/declared.sqlite'

    def connect(self, **kwargs):
        return SimulatorNodeDriver('x', state_path=self.path, boot_time=0)


DRIVERS = {
    'two-methods': TwoMethods,
    'later-connect': LaterConnect,
    'howto-euca': HowToEucalyptus,
    'declared': Declared,
}


@pytest.fixture(autouse=True)
def labels(monkeypatch):
    module = types.ModuleType(MODULE)
    for label, driver in DRIVERS.items():
        setattr(module, driver.__name__, driver)
        monkeypatch.setitem(
            cloud_factory.BUILTIN_DRIVERS,
            label,
            '%s:%s' % (MODULE, driver.__name__),
        )
    monkeypatch.setitem(sys.modules, MODULE, module)
    yield from registry_read_again()


@pytest.fixture
def farm_config():
    return {
        'plain': {'ENGINE': 'two-methods'},
        'later': {'ENGINE': 'later-connect'},
        'howto': {
            'ENGINE': 'howto-euca',
            'USER': 'eucalyptus_access_key',
            'PASSWORD': 'eucalyptus_password_key',
            'EXTRA_PARAMS': {
                'host': 'eucalyptus.ecc.eucalyptus.com',
                'secure': False,
                'port': 8773,
                'path': '/services/Eucalyptus',
            },
        },
        'declared': {
            'ENGINE': 'declared',
            'USER': 'team',
            'PASSWORD': 'declared-secret-pw',
        },
        'sim': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0.0}},
        'dummy': {'ENGINE': 'dummy', 'USER': '1'},
    }


def _cloud(client, name):
    return client.get('/v1/clouds/' + name).get_json()['cloud']


def _create(client, cloud, name, **extra):
    return client.post(
        '/v1/clouds/%s/nodes' % cloud,
        json=dict(
            {'name': name, 'size': 'small', 'image': 'img-debian-12'}, **extra
        ),
    )


def test_two_methods_without_super_and_credentials_are_served(client):
    cloud = _cloud(client, 'plain')
    assert cloud['status'] == 'available', cloud['reason']
    assert {'create_node', 'reboot_node', 'list_volumes'} <= set(
        cloud['capabilities']
    )
    created = _create(client, 'plain', 'web-1')
    assert created.status_code == 201, created.get_json()
    listed = client.get('/v1/clouds/plain/nodes').get_json()['nodes']
    assert [n['name'] for n in listed] == ['web-1']


def test_capabilities_of_a_driver_naming_no_class_come_from_its_connection(
    client,
):
    provider = client.get('/v1/providers/two-methods').get_json()['provider']
    assert provider['capabilities_known'] is True
    assert 'create_node' in provider['capabilities']
    assert provider['open_extra_params'] is True


def test_a_driver_that_connects_late_learns_its_capabilities_on_first_use(
    client,
):
    assert _cloud(client, 'later')['capabilities'] == []
    later = client.get('/v1/providers/later-connect').get_json()['provider']
    assert later['capabilities_known'] is False
    created = _create(client, 'later', 'late-1')
    assert created.status_code == 201, created.get_json()
    assert 'create_node' in _cloud(client, 'later')['capabilities']


def test_the_howto_eucalyptus_example_gets_a_clear_reason(client):
    cloud = _cloud(client, 'howto')
    assert cloud['status'] == 'unavailable'
    assert 'bad parameter' in cloud['reason']
    assert 'secret' in cloud['reason']
    assert 'eucalyptus_password_key' not in cloud['reason']
    assert _cloud(client, 'plain')['status'] == 'available'


def test_declared_fields_are_published_with_secrets_hidden(client):
    provider = client.get('/v1/providers/declared').get_json()['provider']
    fields = {f['name']: f for f in provider['configuration']}
    assert list(fields) == ['USER', 'PASSWORD', 'zone', 'replicas', 'token']
    assert fields['zone'] == {
        'name': 'zone',
        'path': 'EXTRA_PARAMS.zone',
        'type': 'string',
        'required': False,
        'secret': False,
        'default': 'z1',
        'help': 'where machines go',
    }
    assert fields['PASSWORD']['secret'] and fields['PASSWORD']['required']
    assert provider['open_extra_params'] is False
    assert provider['capabilities_known'] is True


def test_libcloud_labels_publish_their_constructor_parameters(client):
    provider = client.get('/v1/providers/digitalocean').get_json()['provider']
    fields = {f['name']: f for f in provider['configuration']}
    assert fields['USER']['required'] is True
    assert fields['PASSWORD']['secret'] is True
    assert fields['region']['path'] == 'EXTRA_PARAMS.region'
    ec2 = client.get('/v1/providers/ec2').get_json()['provider']
    fields = {f['name']: f for f in ec2['configuration']}
    assert fields['region']['default'] == 'us-east-1'
    assert fields['endpoint_dialect']['help']
    assert 'signature_version' in fields


def test_unknown_provider_label_is_404(client):
    response = client.get('/v1/providers/no-such-label')
    assert response.status_code == 404
    assert response.get_json()['error']['code'] == 'provider_label_not_found'


@pytest.mark.parametrize(
    'entry, reason',
    [
        ({'USER': 'team'}, 'missing credential PASSWORD (the key)'),
        (
            {
                'USER': 'team',
                'PASSWORD': 'pw-1234',
                'EXTRA_PARAMS': {'replicas': 'two'},
            },
            'bad parameter: EXTRA_PARAMS.replicas must be an integer, '
            "not 'two'",
        ),
        (
            {
                'USER': 'team',
                'PASSWORD': 'pw-1234',
                'EXTRA_PARAMS': {'token': 12345678},
            },
            'bad parameter: EXTRA_PARAMS.token must be a string, not ' + MASK,
        ),
        (
            {
                'USER': 'team',
                'PASSWORD': 'pw-1234',
                'EXTRA_PARAMS': {'zoen': 'z2'},
            },
            'bad parameter: EXTRA_PARAMS key(s) zoen not accepted; '
            'accepted: '
            'replicas, token, zone',
        ),
    ],
)
def test_an_entry_is_checked_against_the_declared_fields(
    app_config, entry, reason
):
    from dispatcher import close_app, create_app

    app_config['CLOUD_FARM'] = {
        'bad': dict(entry, ENGINE='declared'),
        'sim': {'ENGINE': 'simulator'},
    }
    application = create_app(app_config)
    try:
        farm = application.extensions['dispatcher.farm']
        assert farm.get('bad').reason == reason
        assert '12345678' not in farm.get('bad').reason
        assert farm.get('sim').available
    finally:
        close_app(application)


def test_defaults_of_declared_fields_reach_the_driver(app):
    cloud = app.extensions['dispatcher.farm'].get('declared')
    assert cloud.driver.zone == 'z1'


def test_an_action_or_a_delete_lists_the_nodes_once(client):
    node = _create(client, 'plain', 'once-1').get_json()['node']
    CountingNodeDriver.listings = 0
    acted = client.post(
        '/v1/clouds/plain/nodes/%s/action' % node['id'],
        json={'action': 'stop'},
    )
    assert acted.status_code == 202, acted.get_json()
    assert acted.get_json()['node']['state'] == 'stopped'
    assert CountingNodeDriver.listings == 1
    CountingNodeDriver.listings = 0
    deleted = client.delete('/v1/clouds/plain/nodes/%s' % node['id'])
    assert deleted.status_code == 202
    assert deleted.get_json()['node']['state'] == 'terminated'
    assert CountingNodeDriver.listings == 1


def test_a_key_pair_goes_in_the_providers_own_parameter(client):
    made = client.post(
        '/v1/clouds/sim/key_pairs', json={'name': 'deploy'}
    ).get_json()
    assert 'key_pair' in made
    node = _create(client, 'sim', 'keyed', key_name='deploy').get_json()
    assert node['node']['extra']['key_name'] == 'deploy'


def test_a_provider_without_key_pairs_at_create_says_so(client):
    listing = client.get('/v1/clouds/dummy/images').get_json()['images']
    sizes = client.get('/v1/clouds/dummy/sizes').get_json()['sizes']
    response = client.post(
        '/v1/clouds/dummy/nodes',
        json={
            'name': 'keyed',
            'size': sizes[0]['id'],
            'image': listing[0]['id'],
            'key_name': 'deploy',
        },
    )
    assert response.status_code == 400
    error = response.get_json()['error']
    assert error['field'] == 'key_name'
    assert "'dummy'" in error['message']
    assert GenericDriver.key_pair_parameter is None


def test_a_dummy_node_reboots_and_runs_again(client):
    node = client.get('/v1/clouds/dummy/nodes').get_json()['nodes'][0]
    response = client.post(
        '/v1/clouds/dummy/nodes/%s/action' % node['id'],
        json={'action': 'reboot'},
    )
    assert response.status_code == 202
    assert response.get_json()['node']['state'] == 'running'
    shown = client.get('/v1/clouds/dummy/nodes/%s' % node['id']).get_json()
    assert shown['node']['state'] == 'running'
    assert shown['node']['actions'] == ['reboot']


def test_a_broken_entry_is_logged_with_its_secrets_masked(app_config, caplog):
    from dispatcher import close_app, create_app

    app_config['CLOUD_FARM'] = {
        'bad': {
            'ENGINE': 'declared',
            'USER': 'team',
            'PASSWORD': 'entry-password-1',
            'EXTRA_PARAMS': {'token': 'entry-token-2', 'replicas': 'x'},
        }
    }
    with caplog.at_level('ERROR', logger='dispatcher'):
        application = create_app(app_config)
    close_app(application)
    logged = '\n'.join(r.getMessage() for r in caplog.records)
    assert "cloud 'bad' is unavailable" in logged
    assert "'USER': 'team'" in logged
    assert "'PASSWORD': '%s'" % MASK in logged
    assert "'token': '%s'" % MASK in logged
    assert 'entry-password-1' not in logged
    assert 'entry-token-2' not in logged
