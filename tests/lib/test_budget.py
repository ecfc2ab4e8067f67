"""A cloud's call budget: a rate per cloud, and the provider's Retry-After."""

import threading
import time

import pytest

from dispatcher.lib.budget import CallBudget


@pytest.fixture
def farm_config():
    return {
        'rated': {
            'ENGINE': 'simulator',
            'CALLS_PER_SECOND': 5,
            'EXTRA_PARAMS': {'boot_time': 0.0},
        },
        'throttling': {
            'ENGINE': 'simulator',
            'TIMEOUT': 2,
            'EXTRA_PARAMS': {
                'fail_with': 'rate_limit',
                'failure_rate': 1.0,
                'fail_operations': ['list_sizes'],
                'retry_after': 30,
            },
        },
        'sim': {'ENGINE': 'simulator'},
    }


def test_calls_keep_to_the_rate_whoever_makes_them(app):
    cloud = app.extensions['dispatcher.farm'].get('rated')
    started = []
    lock = threading.Lock()

    def call():
        cloud.list_sizes()
        with lock:
            started.append(time.monotonic())

    threads = [threading.Thread(target=call) for _ in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(started) == 15
    started.sort()
    # At most five calls in any one-second window.
    for first, sixth in zip(started, started[5:]):
        assert sixth - first >= 0.95, started


def test_a_providers_retry_after_pauses_the_whole_cloud(client, app):
    throttled = client.get('/v1/clouds/throttling/sizes')
    assert throttled.status_code == 429
    assert throttled.headers['Retry-After'] == '30'
    before = time.monotonic()
    busy = client.get('/v1/clouds/throttling/images')
    assert time.monotonic() - before < 5
    assert busy.status_code == 503, busy.get_json()
    error = busy.get_json()['error']
    assert error['code'] == 'cloud_busy' and error['cloud'] == 'throttling'
    assert 'nothing was asked of the provider' in error['message']
    assert 25 <= int(busy.headers['Retry-After']) <= 30
    # Other clouds are not paused.
    assert client.get('/v1/clouds/sim/images').status_code == 200


def test_the_cloud_shows_its_budget(client):
    rated = client.get('/v1/clouds/rated').get_json()['cloud']
    assert rated['calls_per_second'] == 5.0
    plain = client.get('/v1/clouds/sim').get_json()['cloud']
    assert plain['calls_per_second'] is None


@pytest.mark.parametrize('value', [-1, 'fast', True])
def test_a_bad_budget_is_refused_naming_it(app_config, value):
    from dispatcher import close_app, create_app

    app_config['CLOUD_FARM'] = {
        'bad': {'ENGINE': 'simulator', 'CALLS_PER_SECOND': value}
    }
    application = create_app(app_config)
    try:
        cloud = application.extensions['dispatcher.farm'].get('bad')
        assert not cloud.available
        assert 'CALLS_PER_SECOND' in cloud.reason
    finally:
        close_app(application)


def test_a_budget_describes_its_rate_and_its_pause():
    clock = [1000.0]
    budget = CallBudget('slow', 0.5, clock=lambda: clock[0])
    assert budget.describe() == '0.5 calls/s'
    budget.pause(3)
    assert 'paused 3.0 s' in budget.describe()
