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


@pytest.mark.parametrize(
    'cloud, path, status, failure',
    [
        ('broken', 'sizes', 502, 'list_sizes failed after'),
        ('hung', 'images', 504, 'list_images failed after'),
    ],
)
def test_a_failed_call_is_logged_once_with_the_request_id(
    client, log_lines, cloud, path, status, failure
):
    answer = client.get(
        '/v1/clouds/%s/%s' % (cloud, path),
        headers={'X-Request-Id': 'abcdef0123456789'},
    )
    assert answer.status_code == status
    lines = _failures(log_lines(), cloud)
    assert len(lines) == 1, lines
    assert '[abcdef0123456789]' in lines[0]
    assert failure in lines[0]
    assert answer.get_json()['error']['code'] in lines[0]
    assert 'farm-password-77' not in '\n'.join(log_lines())
