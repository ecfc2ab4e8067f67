import time

import pytest
import requests
from libcloud.common.exceptions import BaseHTTPError, RateLimitReachedError
from libcloud.common.types import InvalidCredsError

from dispatcher.lib.simulator import SimulatorNodeDriver


def test_latency_is_applied_to_every_operation(make_driver):
    driver = make_driver(latency=0.05)
    for call in (
        driver.list_sizes,
        driver.list_images,
        driver.list_nodes,
        driver.list_locations,
        driver.list_key_pairs,
    ):
        started = time.monotonic()
        call()
        assert time.monotonic() - started >= 0.05


@pytest.mark.parametrize(
    'kind, exception',
    [
        ('auth', InvalidCredsError),
        ('rate_limit', RateLimitReachedError),
        ('server_error', BaseHTTPError),
        ('unavailable', BaseHTTPError),
        ('unreachable', requests.exceptions.ConnectionError),
    ],
)
def test_each_fault_kind(make_driver, kind, exception):
    driver = make_driver(fail_with=kind, retry_after=7)
    with pytest.raises(exception) as excinfo:
        driver.list_sizes()
    error = excinfo.value
    if kind == 'rate_limit':
        assert error.code == 429
        assert error.headers == {'retry-after': '7'}
        assert error.retry_after == 7
    elif kind == 'server_error':
        assert type(error) is BaseHTTPError and error.code == 500
    elif kind == 'unavailable':
        assert type(error) is BaseHTTPError and error.code == 503
    elif kind == 'auth':
        assert error.http_code == 401


@pytest.mark.parametrize(
    'kwargs',
    [
        {'hang_seconds': 0.1},
        {'timeout': 0.1},
        {'timeout': 5, 'hang_seconds': 0.1},
    ],
)
def test_hang_then_read_timeout(make_driver, kwargs):
    driver = make_driver(fail_with='hang', **kwargs)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        driver.list_nodes()
    assert time.monotonic() - started >= 0.1


def test_failure_rate_with_seed(make_driver):
    def outcomes(driver):
        result = []
        for _ in range(400):
            try:
                driver.list_sizes()
                result.append(False)
            except BaseHTTPError as error:
                assert error.code == 500  # default kind is server_error
                result.append(True)
        return result

    first = outcomes(make_driver(failure_rate=0.25, seed=42))
    assert 0.15 <= sum(first) / len(first) <= 0.35
    assert outcomes(make_driver(failure_rate=0.25, seed=42)) == first


def test_failure_rate_with_kind(make_driver):
    driver = make_driver(failure_rate=0.5, fail_with='unavailable', seed=1)
    codes = set()
    for _ in range(100):
        try:
            driver.list_images()
        except BaseHTTPError as error:
            codes.add(error.code)
    assert codes == {503}


def test_fail_operations_limits_faults(make_driver):
    driver = make_driver(
        fail_with='server_error', fail_operations=['create_node']
    )
    assert driver.list_sizes()
    assert driver.list_nodes() == []
    with pytest.raises(BaseHTTPError) as excinfo:
        driver.create_node('n', 'small', 'img-ubuntu-24.04')
    assert excinfo.value.code == 500
    assert driver.list_nodes() == []


def test_lose_answer_does_the_operation_then_times_out(make_driver):
    driver = make_driver(
        fail_with='lose_answer', fail_operations=['create_node']
    )
    with pytest.raises(requests.exceptions.ReadTimeout):
        driver.create_node('lost-1', 'small', 'img-ubuntu-24.04')
    assert [node.name for node in driver.list_nodes()] == ['lost-1']


def test_wrong_secret_raises_invalid_creds_without_leaking(state_path):
    for secret in ('wrong-secret-4567', None):
        driver = SimulatorNodeDriver(
            'key',
            secret,
            state_path=state_path,
            expected_secret='right-secret-1234',
        )
        with pytest.raises(InvalidCredsError) as excinfo:
            driver.list_nodes()
        text = ' '.join(
            [str(excinfo.value), repr(excinfo.value), str(excinfo.value.value)]
        )
        assert 'right-secret-1234' not in text
        assert 'wrong-secret-4567' not in text
    good = SimulatorNodeDriver(
        'key',
        'right-secret-1234',
        state_path=state_path,
        expected_secret='right-secret-1234',
    )
    assert good.list_nodes() == []


def test_credentials_are_checked_before_fail_operations(state_path):
    driver = SimulatorNodeDriver(
        'key',
        'bad',
        state_path=state_path,
        expected_secret='good',
        fail_with='server_error',
        fail_operations=['create_node'],
    )
    with pytest.raises(InvalidCredsError):
        driver.list_sizes()


@pytest.mark.parametrize(
    'kwargs, name',
    [
        ({'state_path': None}, 'state_path'),
        ({'latency': -0.1}, 'latency'),
        ({'latency': 'slow'}, 'latency'),
        ({'boot_time': -1}, 'boot_time'),
        ({'failure_rate': 1.5}, 'failure_rate'),
        ({'failure_rate': -0.1}, 'failure_rate'),
        ({'fail_with': 'explode'}, 'fail_with'),
        ({'fail_operations': ['explode_node']}, 'fail_operations'),
        ({'fail_operations': 'create_node'}, 'fail_operations'),
        ({'retry_after': -5}, 'retry_after'),
        ({'timeout': 0}, 'timeout'),
        ({'hang_seconds': -1}, 'hang_seconds'),
        ({'expected_secret': 42}, 'expected_secret'),
    ],
)
def test_bad_constructor_parameters(tmp_path, kwargs, name):
    arguments = {'state_path': str(tmp_path / 'cloud.sqlite')}
    arguments.update(kwargs)
    with pytest.raises(ValueError) as excinfo:
        SimulatorNodeDriver('key', 'secret', **arguments)
    assert name in str(excinfo.value)


def test_faults_stop_at_fail_until(make_driver):
    driver = make_driver(
        fail_with='server_error',
        failure_rate=1.0,
        fail_until=time.time() + 0.5,
    )
    with pytest.raises(BaseHTTPError):
        driver.list_sizes()
    time.sleep(0.6)
    assert driver.list_sizes()


def test_faults_come_in_bursts(make_driver, monkeypatch):
    from dispatcher.lib.simulator import faults

    driver = make_driver(
        fail_with='rate_limit', failure_rate=1.0, fail_in_bursts=[2, 10]
    )
    monkeypatch.setattr(faults.time, 'time', lambda: 1000.5)
    with pytest.raises(RateLimitReachedError):
        driver.list_sizes()
    monkeypatch.setattr(faults.time, 'time', lambda: 1005.0)
    assert driver.list_sizes()


def test_keep_deleted_answers_a_delete_and_keeps_the_node(make_driver):
    driver = make_driver(keep_deleted=True, boot_time=0)
    node = driver.create_node(
        name='stays', size='small', image='img-debian-12'
    )
    assert driver.destroy_node(node) is True
    assert [n.name for n in driver.list_nodes()] == ['stays']


@pytest.mark.parametrize(
    'kwargs', [{'fail_in_bursts': [1]}, {'fail_in_bursts': [1, 0]}]
)
def test_bad_bursts_are_refused(make_driver, kwargs):
    with pytest.raises(ValueError, match='fail_in_bursts'):
        make_driver(**kwargs)


def test_fail_first_fails_each_resources_first_calls_only(make_driver):
    driver = make_driver(
        fail_with='rate_limit', fail_first=2, fail_operations=['create_node']
    )
    for name in ('one', 'two'):
        for _ in range(2):
            with pytest.raises(RateLimitReachedError):
                driver.create_node(
                    name=name, size='small', image='img-debian-12'
                )
        made = driver.create_node(
            name=name, size='small', image='img-debian-12'
        )
        assert made.name == name
    # Operations it was not asked to fail pass from the first call.
    assert sorted(n.name for n in driver.list_nodes()) == ['one', 'two']


def test_fail_first_counts_across_the_connections_of_one_cloud(make_driver):
    first = make_driver(fail_with='server_error', fail_first=1)
    second = make_driver(fail_with='server_error', fail_first=1)
    with pytest.raises(BaseHTTPError):
        first.list_sizes()
    # The second connection to the same cloud sees the call counted.
    assert second.list_sizes()


@pytest.mark.parametrize('value', [0, -1, 1.5, True, '1'])
def test_a_bad_fail_first_is_refused(make_driver, value):
    with pytest.raises(ValueError, match='fail_first'):
        make_driver(fail_first=value)
