"""The circuit breaker of each cloud."""

import time

import pytest

from dispatcher import errors
from dispatcher.lib.breaker import Breaker


class Clock(object):
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def _down():
    return errors.CloudTimeout('cloud x did not answer', cloud='x')


def test_failures_in_a_row_open_the_circuit_and_one_probe_closes_it():
    clock, changes = Clock(), []
    breaker = Breaker(
        'x',
        failures=3,
        open_seconds=10,
        clock=clock,
        on_change=lambda cloud, old, new, error: changes.append((old, new)),
    )
    for _ in range(2):
        assert breaker.before() is False
        breaker.record(_down())
    breaker.record(None)  # a success in between starts the count again
    for _ in range(3):
        breaker.record(_down())
    assert changes == [('closed', 'open')]
    with pytest.raises(errors.CloudUnavailable) as refused:
        breaker.before()
    assert refused.value.code == 'cloud_circuit_open'
    assert refused.value.details['last_error']['code'] == 'cloud_timeout'
    assert refused.value.headers['Retry-After'] == '11'
    clock.now += 10
    assert breaker.before() is True  # the probe
    with pytest.raises(errors.CloudUnavailable):
        breaker.before()  # only one probe at a time
    breaker.record(None, probe=True)
    assert changes[-2:] == [('open', 'half_open'), ('half_open', 'closed')]
    assert breaker.before() is False


def test_a_failed_probe_opens_it_again():
    clock = Clock()
    breaker = Breaker('x', failures=1, open_seconds=5, clock=clock)
    breaker.record(_down())
    clock.now += 5
    assert breaker.before() is True
    breaker.record(_down(), probe=True)
    assert breaker.health()['status'] == 'open'
    assert breaker.health()['next_probe_at'] is not None


def test_answers_that_prove_the_cloud_up_do_not_count():
    breaker = Breaker('x', failures=1)
    for error in (
        errors.NotFound('no such node', cloud='x'),
        errors.RateLimited('slow down', cloud='x'),
        errors.CloudUnavailable('busy', cloud='x', code='cloud_busy'),
    ):
        breaker.record(error)
    assert breaker.health()['status'] == 'ok'


@pytest.fixture
def farm_config():
    return {
        'flaky': {
            'ENGINE': 'simulator',
            'EXTRA_PARAMS': {
                'fail_with': 'server_error',
                'failure_rate': 1.0,
                'fail_operations': ['list_sizes'],
            },
        },
        'sim': {'ENGINE': 'simulator'},
    }


@pytest.fixture
def app_config(app_config):
    return dict(app_config, CIRCUIT_FAILURES=3, CIRCUIT_OPEN_SECONDS=1.0)


def test_a_failing_cloud_is_refused_at_once_then_probed(client):
    for _ in range(3):
        assert client.get('/v1/clouds/flaky/sizes').status_code == 502
    health = client.get('/v1/clouds/flaky').get_json()['cloud']['health']
    assert health['status'] == 'open' and health['circuit'] == 'open'
    assert health['error_rate'] == 1.0 and health['recent_calls'] == 3
    assert health['last_error']['status'] == 502
    refused = client.get('/v1/clouds/flaky/images')
    assert refused.status_code == 503
    error = refused.get_json()['error']
    assert error['code'] == 'cloud_circuit_open' and error['cloud'] == 'flaky'
    assert error['details']['next_probe_at'] == health['next_probe_at']
    assert int(refused.headers['Retry-After']) >= 1
    assert client.get('/v1/clouds/sim/images').status_code == 200
    time.sleep(1.1)
    # The probe: images answer, so the circuit closes.
    assert client.get('/v1/clouds/flaky/images').status_code == 200
    health = client.get('/v1/clouds/flaky').get_json()['cloud']['health']
    assert health['circuit'] == 'closed' and health['status'] == 'degraded'
    actions = [
        e['action']
        for e in client.get('/v1/events?cloud=flaky').get_json()['events']
    ]
    assert actions == [
        'cloud.circuit_closed',
        'cloud.circuit_half_open',
        'cloud.circuit_open',
    ]


def test_a_healthy_cloud_is_ok(client):
    for _ in range(5):
        assert client.get('/v1/clouds/sim/nodes/nope').status_code == 404
    health = client.get('/v1/clouds/sim').get_json()['cloud']['health']
    assert health == {
        'status': 'ok',
        'circuit': 'closed',
        'error_rate': 0.0,
        'recent_calls': 5,
        'last_error': None,
        'next_probe_at': None,
    }
