"""``settings.example.py``: a working entry for every provider label.

The example is loaded as ``MW_SETTINGS`` would load it, with its
environment variables pointing at this test run's emulators, and every one
of its clouds must be available and answer (all but the libcloud provider
reached through GenericDriver, which would need the internet).
"""

import os
import runpy

import pytest

from dispatcher import config
from dispatcher.lib import Provider
from tests.backends.libvirt_hypervisor import require_libvirt
from tests.support.servers import ROOT

EXAMPLE = os.path.join(ROOT, 'settings.example.py')

#: Clouds of the example that would need the internet to answer.
OFFLINE_ONLY = ('digitalocean',)


@pytest.fixture
def farm_config(moto, mimic, monkeypatch, tmp_path):
    require_libvirt()
    user, tenant = mimic.account()
    secret_file = tmp_path / 'euca-secret'
    secret_file.write_text('testing\n')
    for name, value in {
        'MOTO_URL': moto.url,
        'MIMIC_URL': mimic.url,
        'AWS_ACCESS_KEY_ID': 'testing',
        'AWS_SECRET_ACCESS_KEY': 'testing',
        'EC2_ACCESS_KEY': 'testing',
        'EUCA_SECRET_KEY_FILE': str(secret_file),
        'OS_USERNAME': user,
        'OS_PROJECT_NAME': tenant,
        'OS_PASSWORD': 'any',
        'RAX_USERNAME': user + '-rax',
        'RAX_API_KEY': 'any',
        'DIGITALOCEAN_TOKEN': 'not-a-real-token',
        'LIBVIRT_URI': 'test:///default',
    }.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(EXAMPLE)['CloudConfig'].CLOUD_FARM


def test_example_has_an_entry_for_every_label_and_generic_driver(farm_config):
    engines = {entry['ENGINE'] for entry in farm_config.values()}
    ours = {value for name, value in vars(Provider).items() if name.isupper()}
    assert ours <= engines
    assert engines - ours, 'no libcloud provider through GenericDriver'


def test_example_loads_as_the_settings_file(monkeypatch):
    monkeypatch.setenv('MW_SETTINGS', EXAMPLE)
    settings = config.load_settings()
    assert 'default' in settings['CLOUD_FARM']
    assert all(name.isupper() for name in settings)


def test_every_cloud_of_the_example_is_available_and_answers(client):
    clouds = client.get('/v1/clouds').get_json()['clouds']
    for cloud in clouds:
        assert cloud['status'] == 'available', (cloud['name'], cloud['reason'])
        if cloud['name'] in OFFLINE_ONLY:
            continue
        response = client.get('/v1/clouds/%s/nodes' % cloud['name'])
        assert response.status_code == 200, response.get_json()
    for cloud in ('openstack', 'rackspace'):
        capabilities = client.get('/v1/clouds/' + cloud).get_json()['cloud'][
            'capabilities'
        ]
        assert 'stop_node' not in capabilities
        assert 'create_node' in capabilities
