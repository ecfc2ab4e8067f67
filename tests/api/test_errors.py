"""Cloud failures and HTTP mistakes: the right status, one error shape."""

import time

import pytest

SECRET = 'Zq8-very-secret-farm-password'


def _faulty(kind, **extra):
    params = {'fail_with': kind, 'boot_time': 0}
    params.update(extra)
    return {
        'ENGINE': 'simulator',
        'PASSWORD': SECRET,
        'EXTRA_PARAMS': params,
        'TIMEOUT': 1.0,
    }


@pytest.fixture
def farm_config(farm_config):
    farm_config.update(
        {
            'auth': _faulty('auth'),
            'throttled': _faulty('rate_limit', retry_after=7),
            'broken': _faulty('server_error'),
            'down': _faulty('unavailable'),
            'gone': _faulty('unreachable'),
            'hung': _faulty('hang', hang_seconds=1.5),
        }
    )
    return farm_config


@pytest.mark.parametrize(
    'cloud, status, code',
    [
        ('auth', 502, 'cloud_auth_failed'),
        ('throttled', 429, 'rate_limited'),
        ('broken', 502, 'provider_error'),
        ('down', 502, 'provider_error'),
        ('gone', 503, 'cloud_unavailable'),
        ('hung', 504, 'cloud_timeout'),
    ],
)
def test_cloud_failure_is_translated(client, cloud, status, code):
    response = client.get('/v1/clouds/%s/nodes' % cloud)
    assert response.status_code == status
    error = response.get_json()['error']
    assert error['code'] == code
    assert error['cloud'] == cloud
    assert error['status'] == status
    assert error['request_id'] == response.headers['X-Request-Id']
    assert SECRET not in response.get_data(as_text=True)


def test_throttling_passes_retry_after_on(client):
    response = client.get('/v1/clouds/throttled/sizes')
    assert response.status_code == 429
    assert response.headers['Retry-After'] == '7'


def test_hung_cloud_answers_504_within_its_timeout(client):
    started = time.monotonic()
    response = client.get('/v1/clouds/hung/images')
    assert response.status_code == 504
    assert time.monotonic() - started >= 1.0


def test_cross_cloud_listing_reports_failures_beside_results(client):
    client.post(
        '/v1/clouds/sim-b/nodes',
        json={'name': 'ok-1', 'size': 'small', 'image': 'img-debian-12'},
    )
    body = client.get('/v1/nodes').get_json()
    assert sorted(n['name'] for n in body['nodes']) == [
        'dummy-0',
        'dummy-1',
        'ok-1',
    ]
    failed = {e['cloud']: e['code'] for e in body['errors']}
    assert failed == {
        'auth': 'cloud_auth_failed',
        'throttled': 'rate_limited',
        'broken': 'provider_error',
        'down': 'provider_error',
        'gone': 'cloud_unavailable',
        'hung': 'cloud_timeout',
    }
    assert SECRET not in str(body)


def test_check_reports_refused_credentials_without_failing(client):
    response = client.get('/v1/clouds/auth?check=true')
    assert response.status_code == 200
    check = response.get_json()['cloud']['check']
    assert check['ok'] is False
    assert check['error']['code'] == 'cloud_auth_failed'
    good = client.get('/v1/clouds/sim-b?check=true').get_json()['cloud']
    assert good['check'] == {'ok': True}


def test_unknown_route_is_404_in_the_error_shape(client):
    response = client.get('/v1/nothing-here')
    assert response.status_code == 404
    assert response.get_json()['error']['code'] == 'not_found'


def test_wrong_method_is_405_in_the_error_shape(client):
    response = client.put('/v1/clouds')
    assert response.status_code == 405
    assert response.get_json()['error']['code'] == 'method_not_allowed'


@pytest.mark.parametrize(
    'path',
    [
        '/v1/clouds/nowhere',
        '/v1/clouds/nowhere/nodes',
        '/v1/clouds/nowhere/images',
        '/v1/clouds/nowhere/key_pairs',
        '/v1/clouds/nowhere/volumes',
    ],
)
def test_unknown_cloud_is_404_naming_it(client, path):
    response = client.get(path)
    assert response.status_code == 404
    error = response.get_json()['error']
    assert error['code'] == 'cloud_not_found'
    assert error['cloud'] == 'nowhere'


@pytest.mark.parametrize(
    'method, path',
    [
        ('get', '/v1/clouds/default/nodes/missing'),
        ('delete', '/v1/clouds/default/nodes/missing'),
        ('get', '/v1/clouds/default/volumes/missing'),
        ('delete', '/v1/clouds/default/key_pairs/missing'),
    ],
)
def test_unknown_resource_is_404(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response.get_json()['error']['cloud'] == 'default'


def test_unsupported_operation_is_501_naming_cloud_and_operation(client):
    response = client.get('/v1/clouds/dummy/volumes')
    assert response.status_code == 501
    error = response.get_json()['error']
    assert error['cloud'] == 'dummy'
    assert 'list_volumes' in error['message']


def test_request_id_is_echoed_when_sane(client):
    response = client.get('/v1', headers={'X-Request-Id': 'abc0123def'})
    assert response.headers['X-Request-Id'] == 'abc0123def'
    response = client.get('/v1', headers={'X-Request-Id': 'bad id\x01'})
    assert response.headers['X-Request-Id'] != 'bad id\x01'
    assert len(response.headers['X-Request-Id']) == 32


def test_failing_call_is_logged_with_request_id_and_no_secret(client, caplog):
    with caplog.at_level('INFO', logger='dispatcher'):
        response = client.get(
            '/v1/clouds/auth/nodes', headers={'X-Request-Id': '7ace4200'}
        )
    assert response.status_code == 502
    lines = [
        r for r in caplog.records if '7ace4200' in getattr(r, 'request_id', '')
    ]
    assert lines, 'the request is logged with its id'
    assert SECRET not in caplog.text


def test_wrong_method_names_the_allowed_ones(client):
    response = client.put('/v1/clouds')
    assert 'GET' in response.headers['Allow']


def test_http_status_without_a_class_has_a_named_code(app, client):
    from werkzeug.exceptions import RequestedRangeNotSatisfiable

    @app.route('/test-only/range')
    def unsatisfiable():
        raise RequestedRangeNotSatisfiable(length=10)

    response = client.get('/test-only/range')
    assert response.status_code == 416
    error = response.get_json()['error']
    assert error['code'] == 'requested_range_not_satisfiable'
    assert response.headers['Content-Range'] == 'bytes */10'
