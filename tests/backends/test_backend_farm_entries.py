"""Farm entries of the EC2-style, OpenStack and libvirt drivers.

Bad entries are reported by name with the reason while the rest of the farm
serves; good ones become exactly libcloud's drivers, the moto dialect only
when asked for.
"""

import pytest
from libcloud.compute.drivers.ec2 import (
    EC2Connection,
    EC2NodeDriver,
    EucNodeDriver,
)

from dispatcher.lib.cloud_factory import get_driver_class
from dispatcher.lib.cloud_factory.drivers import moto_dialect

KEYS = {'USER': 'AKIDEXAMPLE', 'PASSWORD': 'farm-secret-key'}

BAD_ENTRIES = {
    'dialect': (
        dict(
            KEYS, ENGINE='ec2', EXTRA_PARAMS={'endpoint_dialect': 'localstack'}
        ),
        'endpoint_dialect',
    ),
    'scheme': (
        dict(
            KEYS,
            ENGINE='ec2',
            EXTRA_PARAMS={'endpoint': 'ftp://127.0.0.1:5000'},
        ),
        'endpoint',
    ),
    'port': (
        dict(
            KEYS,
            ENGINE='ec2',
            EXTRA_PARAMS={'endpoint': 'http://127.0.0.1:port'},
        ),
        'endpoint',
    ),
    'typo': (dict(KEYS, ENGINE='ec2', EXTRA_PARAMS={'regoin': 'x'}), 'regoin'),
    'no-endpoint': (dict(KEYS, ENGINE='eucalyptus'), 'endpoint'),
    'api-version': (
        dict(
            KEYS,
            ENGINE='openstack',
            EXTRA_PARAMS={
                'auth_url': 'http://127.0.0.1:1/',
                'api_version': '9.9',
            },
        ),
        'api_version',
    ),
}


@pytest.fixture
def farm_config():
    farm = {name: entry for name, (entry, _) in BAD_ENTRIES.items()}
    farm['sim'] = {'ENGINE': 'simulator'}
    return farm


@pytest.mark.parametrize('name', sorted(BAD_ENTRIES))
def test_bad_entry_is_unavailable_naming_the_key(client, name):
    cloud = client.get('/v1/clouds/' + name).get_json()['cloud']
    assert cloud['status'] == 'unavailable'
    assert BAD_ENTRIES[name][1] in cloud['reason']
    assert 'farm-secret-key' not in cloud['reason']
    assert client.get('/v1/clouds/sim/nodes').status_code == 200


def _connect(entry):
    wrapper = get_driver_class(entry['ENGINE'])(dict(entry, NAME='x'))
    wrapper.check_parameters()
    return wrapper.connect(timeout=3)


def test_ec2_endpoint_url_sets_host_port_scheme_and_path():
    driver = _connect(
        dict(
            KEYS,
            ENGINE='ec2',
            EXTRA_PARAMS={
                'endpoint': 'https://ec2.example.org:8773/services/Cloud'
            },
        )
    )
    assert type(driver) is EC2NodeDriver
    assert driver.connectionCls is EC2Connection
    assert (
        driver.connection.host,
        driver.connection.port,
        driver.connection.secure,
    ) == ('ec2.example.org', 8773, True)
    assert driver.path == '/services/Cloud'


def test_eucalyptus_endpoint_keeps_libclouds_driver_without_dialect():
    driver = _connect(
        dict(
            KEYS,
            ENGINE='eucalyptus',
            EXTRA_PARAMS={
                'endpoint': 'http://euca.example.org:8773/services/compute'
            },
        )
    )
    assert type(driver) is EucNodeDriver
    assert driver.path == '/services/compute'
    assert driver.signature_version == '2'


def test_moto_dialect_signs_with_sigv4_at_path_root():
    ec2 = _connect(
        dict(
            KEYS,
            ENGINE='ec2',
            EXTRA_PARAMS={
                'endpoint': 'http://127.0.0.1:5000',
                'endpoint_dialect': 'moto',
            },
        )
    )
    euca = _connect(
        dict(
            KEYS,
            ENGINE='eucalyptus',
            EXTRA_PARAMS={
                'endpoint': 'http://127.0.0.1:5000',
                'endpoint_dialect': 'moto',
            },
        )
    )
    assert isinstance(ec2, moto_dialect.MotoEC2NodeDriver)
    assert isinstance(euca, moto_dialect.MotoEucNodeDriver)
    assert ec2.signature_version == euca.signature_version == '4'
    assert euca.path == '/' and not euca.connection.secure


def test_zero_based_resource_and_tag_numbers_become_one_based():
    params = {
        'Action': 'CreateTags',
        'ResourceId.0': 'i-1',
        'Tag.0.Key': 'Name',
        'Tag.0.Value': 'web',
        'Tag.1.Key': 'env',
        'Tag.1.Value': 'test',
    }
    assert moto_dialect.renumber(params) == {
        'Action': 'CreateTags',
        'ResourceId.1': 'i-1',
        'Tag.1.Key': 'Name',
        'Tag.1.Value': 'web',
        'Tag.2.Key': 'env',
        'Tag.2.Value': 'test',
    }
    one_based = {'Action': 'RunInstances', 'TagSpecification.1.Tag.1.Key': 'a'}
    assert moto_dialect.renumber(one_based) == one_based


def test_libvirt_test_file_uri_uses_one_connection():
    pytest.importorskip('libvirt')
    cls = get_driver_class('libvirt')
    assert cls(
        {'ENGINE': 'libvirt', 'EXTRA_PARAMS': {'uri': 'test:///tmp/node.xml'}}
    ).single_connection
    assert not cls(
        {'ENGINE': 'libvirt', 'EXTRA_PARAMS': {'uri': 'test:///default'}}
    ).single_connection
