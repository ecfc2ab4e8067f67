"""Per-token rate limiting: a token bucket per token, 429 with Retry-After."""

import pytest

from dispatcher import create_app
from dispatcher.api.access.ratelimit import RateLimiter
from dispatcher.config import SettingsError


class Clock(object):
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_bucket_allows_its_size_then_refills_at_the_rate():
    clock = Clock()
    limiter = RateLimiter(3, clock=clock)
    assert [limiter.take('t') for _ in range(3)] == [0, 0, 0]
    assert limiter.take('t') == pytest.approx(20.0)
    clock.now += 10
    assert limiter.take('t') == pytest.approx(10.0)
    clock.now += 10
    assert limiter.take('t') == 0
    assert limiter.take('t') > 0


def test_each_key_has_its_own_bucket():
    limiter = RateLimiter(1, clock=Clock())
    assert limiter.take('a') == 0
    assert limiter.take('a') > 0
    assert limiter.take('b') == 0


def test_zero_means_no_limit():
    limiter = RateLimiter(0, clock=Clock())
    assert not limiter.enabled
    assert all(limiter.take('t') == 0 for _ in range(1000))


@pytest.fixture
def app_config(app_config):
    app_config['RATE_LIMIT_PER_MINUTE'] = 3
    return app_config


def test_a_token_over_its_limit_gets_429_with_retry_after(call, make_token):
    busy, other = make_token('reader'), make_token('reader')
    statuses = [call('GET', '/v1/clouds', busy).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = call('GET', '/v1/clouds', busy)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers['Retry-After']) <= 20
    error = refused.get_json()['error']
    assert error['code'] == 'too_many_requests'
    assert error['status'] == 429
    assert error['request_id'] == refused.headers['X-Request-Id']
    assert call('GET', '/v1/clouds', other).status_code == 200


def test_public_routes_are_not_limited(call):
    assert all(call('GET', '/healthz').status_code == 200 for _ in range(10))


@pytest.mark.parametrize('value', ['lots', -1])
def test_a_bad_limit_setting_is_refused_at_start_up(app_config, value):
    app_config['RATE_LIMIT_PER_MINUTE'] = value
    with pytest.raises(SettingsError, match='RATE_LIMIT_PER_MINUTE'):
        create_app(app_config)
