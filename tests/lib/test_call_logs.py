"""A failed provider call is logged once, with its cloud, operation,
duration and the id of the request that made it; never a secret."""

import io
import logging

import pytest


@pytest.fixture
def farm_config():
    return {
        'broken': {
            'ENGINE': 'simulator',
            'PASSWORD': 'farm-password-77',
            'EXTRA_PARAMS': {
                'fail_with': 'server_error',
                'failure_rate': 1.0,
                'fail_operations': ['list_sizes'],
            },
        },
        'hung': {
            'ENGINE': 'simulator',
            'TIMEOUT': 0.5,
            'EXTRA_PARAMS': {
                'fail_with': 'hang',
                'failure_rate': 1.0,
                'hang_seconds': 2,
                'fail_operations': ['list_images'],
            },
        },
    }


@pytest.fixture
def log_lines(app):
    """What the service's log handler writes, as it writes it."""
    handler = next(
        h
        for h in logging.getLogger('dispatcher').handlers
        if getattr(h, 'dispatcher_handler', False)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(previous)


def _failures(lines, cloud):
    return [
        line
        for line in lines
        if 'dispatcher.lib.cloud ' in line and "cloud '%s'" % cloud in line
    ]


def test_a_provider_error_is_logged_once_with_the_request_id(
    client, log_lines
):
    answer = client.get(
        '/v1/clouds/broken/sizes', headers={'X-Request-Id': 'abcdef0123456789'}
    )
    assert answer.status_code == 502
    lines = _failures(log_lines(), 'broken')
    assert len(lines) == 1, lines
    assert '[abcdef0123456789]' in lines[0]
    assert 'list_sizes failed after' in lines[0]
    assert 'provider_error' in lines[0]
    assert 'farm-password-77' not in '\n'.join(log_lines())


def test_a_timeout_is_logged_once_with_the_request_id(client, log_lines):
    answer = client.get(
        '/v1/clouds/hung/images', headers={'X-Request-Id': '0123456789abcdef'}
    )
    assert answer.status_code == 504
    lines = _failures(log_lines(), 'hung')
    assert len(lines) == 1, lines
    assert '[0123456789abcdef]' in lines[0]
    assert 'list_images failed after' in lines[0]
    assert 'cloud_timeout' in lines[0]
