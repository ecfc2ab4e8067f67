"""Clouds that cannot be reached, hang or fail, over real sockets.

Each broken cloud sits in one farm beside a healthy simulated cloud: the
broken one answers with its own error naming it, and the healthy one
keeps answering, alone or in the cross-cloud listing.
"""

import threading

import pytest

from tests.backends.broken_providers import FailingProvider, SilentServer
from tests.backends.farm_entries import openstack_entry
from tests.support.servers import free_port

#: The service's ``PROVIDER_TIMEOUT`` here, and a farm entry's ``TIMEOUT``.
PROVIDER_TIMEOUT = 1.0
ENTRY_TIMEOUT = 1.5


def _ec2(url, **keys):
    entry = {
        'ENGINE': 'ec2',
        'USER': 'AKIDBROKEN',
        'PASSWORD': 'broken-secret-key',
        'EXTRA_PARAMS': {'endpoint': url, 'endpoint_dialect': 'moto'},
    }
    entry.update(keys)
    return entry


@pytest.fixture
def silent():
    server = SilentServer().start()
    yield server
    server.stop()


@pytest.fixture
def failing_ec2():
    server = FailingProvider('ec2').start()
    yield server
    server.stop()


@pytest.fixture
def failing_openstack():
    server = FailingProvider('openstack').start()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config):
    return dict(app_config, PROVIDER_TIMEOUT=PROVIDER_TIMEOUT)


@pytest.fixture
def farm_config(silent, failing_ec2, failing_openstack):
    closed = 'http://127.0.0.1:%d' % free_port()
    return {
        'healthy': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0}},
        'closed-ec2': _ec2(closed),
        'closed-os': openstack_entry(closed + '/identity/'),
        'hung-ec2': _ec2(silent.url, TIMEOUT=ENTRY_TIMEOUT),
        'hung-os': openstack_entry(
            silent.url + '/identity/', TIMEOUT=ENTRY_TIMEOUT
        ),
        'hung-default': _ec2(silent.url),
        'broken-ec2': _ec2(failing_ec2.url),
        'broken-os': openstack_entry(failing_openstack.url + '/'),
    }


def _error(response, status, cloud):
    assert response.status_code == status, response.get_json()
    error = response.get_json()['error']
    assert error['status'] == status and error['cloud'] == cloud
    assert cloud in error['message']
    assert 'broken-secret-key' not in error['message']
    return error


@pytest.mark.parametrize('cloud', ['closed-ec2', 'closed-os'])
def test_closed_port_is_503_naming_the_cloud(client, cloud):
    _error(client.get('/v1/clouds/%s/nodes' % cloud), 503, cloud)


@pytest.mark.parametrize(
    'cloud, timeout',
    [
        ('hung-ec2', ENTRY_TIMEOUT),
        ('hung-os', ENTRY_TIMEOUT),
        ('hung-default', PROVIDER_TIMEOUT),
    ],
)
def test_provider_that_never_answers_is_504_naming_the_cloud(
    client, cloud, timeout
):
    described = client.get('/v1/clouds/%s' % cloud).get_json()['cloud']
    assert described['timeout'] == timeout
    error = _error(client.get('/v1/clouds/%s/nodes' % cloud), 504, cloud)
    assert error['code'] == 'cloud_timeout'


@pytest.mark.parametrize('cloud', ['broken-ec2', 'broken-os'])
def test_provider_5xx_is_502_naming_the_cloud(client, cloud):
    error = _error(client.get('/v1/clouds/%s/nodes' % cloud), 502, cloud)
    assert error['code'] == 'provider_error'


def test_check_of_an_unreachable_cloud_reports_the_error(client):
    cloud = client.get('/v1/clouds/closed-ec2?check=true').get_json()['cloud']
    assert cloud['check']['ok'] is False
    assert cloud['check']['error']['status'] == 503


def test_all_nodes_lists_the_healthy_cloud_and_each_failure(client):
    created = client.post(
        '/v1/clouds/healthy/nodes',
        json={'name': 'still-here', 'size': 'small', 'image': 'img-debian-12'},
    )
    assert created.status_code == 201
    response = client.get('/v1/nodes')
    assert response.status_code == 200
    body = response.get_json()
    assert [n['name'] for n in body['nodes']] == ['still-here']
    failures = {e['cloud']: e['status'] for e in body['errors']}
    assert failures == {
        'closed-ec2': 503,
        'closed-os': 503,
        'hung-ec2': 504,
        'hung-os': 504,
        'hung-default': 504,
        'broken-ec2': 502,
        'broken-os': 502,
    }


def test_healthy_cloud_answers_while_a_hung_one_is_waited_for(client):
    answers = {}

    def ask_hung():
        answers['hung'] = client.get('/v1/clouds/hung-ec2/nodes')

    waiting = threading.Thread(target=ask_hung)
    waiting.start()
    healthy = client.get('/v1/clouds/healthy/nodes')
    hung_still_waiting = waiting.is_alive()
    waiting.join(30)
    assert healthy.status_code == 200
    assert hung_still_waiting
    assert answers['hung'].status_code == 504
