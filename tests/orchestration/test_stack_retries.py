"""A stack rides out a provider that throttles, fails for a moment or loses
its answers: its delete ends ``deleted`` without anyone repeating the
request, a failure that lasts ends it ``failed`` with each node's reason,
and a node whose create answer was lost is found by its name, not reported
failed while it runs."""

import pytest

from dispatcher import errors
from dispatcher.services import retries
from tests.orchestration.support import (
    create,
    provider_nodes,
    template,
    wait_for_job,
)


@pytest.fixture
def farm_config(farm_config):
    # Each node's first delete answers 429 (Retry-After: 1 s).
    farm_config['sim-throttled'] = {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {
            'boot_time': 0.1,
            'fail_with': 'rate_limit',
            'fail_first': 1,
            'fail_operations': ['destroy_node'],
            'retry_after': 1,
        },
    }
    farm_config['sim-refusing'] = {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {
            'boot_time': 0.1,
            'fail_with': 'server_error',
            'failure_rate': 1.0,
            'fail_operations': ['destroy_node'],
        },
    }
    # Each node's first create answers 429 (Retry-After: 1 s): it did not
    # happen.  (Counted per node, not dice: dice rolled by each of the
    # cloud's connections could throttle one node past the retry time.)
    farm_config['sim-busy'] = {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {
            'boot_time': 0.1,
            'fail_with': 'rate_limit',
            'fail_first': 1,
            'fail_operations': ['create_node'],
            'retry_after': 1,
        },
    }
    # Each node's first create fails with a 500, before acting.
    farm_config['sim-flaky'] = {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {
            'boot_time': 0.1,
            'fail_with': 'server_error',
            'fail_first': 1,
            'fail_operations': ['create_node'],
        },
    }
    farm_config['sim-lossy'] = {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {
            'boot_time': 0.1,
            'fail_with': 'lose_answer',
            'failure_rate': 1.0,
            'fail_operations': ['create_node'],
        },
    }
    return farm_config


@pytest.fixture
def stack_settings(stack_settings):
    return dict(stack_settings, JOB_RETRY_SECONDS=6)


def retried(caplog, doing):
    """Names of the nodes whose ``doing`` ("creating", "destroying") the
    service logged as retried."""
    prefix = doing + ' node '
    return {
        record.getMessage()[len(prefix) :].split(' ', 1)[0]
        for record in caplog.records
        if record.name == 'dispatcher.services.retries'
        and record.getMessage().startswith(prefix)
    }


def names(stack):
    return {n['name'] for n in stack['nodes']}


def test_a_delete_retries_a_throttling_provider_to_the_end(
    api, stack_app, caplog
):
    stack, _ = create(api, template(count=4, clouds=['sim-throttled']))
    response = api.delete('/v1/stacks/' + stack['id'])
    assert response.status_code == 202
    job = wait_for_job(api, response.json['job']['id'], timeout=120)
    assert job['status'] == 'succeeded', job
    assert retried(caplog, 'destroying') == names(stack)
    gone = api.get('/v1/stacks/' + stack['id']).json['stack']
    assert gone['status'] == 'deleted'
    assert provider_nodes(stack_app.instance_path, 'sim-throttled') == {}


def test_a_lasting_failure_ends_the_delete_failed_with_reasons(api, stack_app):
    stack, _ = create(api, template(count=2, clouds=['sim-refusing']))
    response = api.delete('/v1/stacks/' + stack['id'])
    job = wait_for_job(api, response.json['job']['id'], timeout=120)
    assert job['status'] == 'failed', job
    shown = api.get('/v1/stacks/' + stack['id']).json['stack']
    assert shown['status'] == 'failed'
    assert all(n['error'] for n in shown['nodes']), shown['nodes']
    assert len(provider_nodes(stack_app.instance_path, 'sim-refusing')) == 2


def test_a_node_whose_create_answer_was_lost_is_found_by_name(api, stack_app):
    stack, job = create(api, template(count=3, clouds=['sim-lossy']))
    assert stack['status'] == 'active'
    assert [n['state'] for n in stack['nodes']] == ['running'] * 3
    assert provider_nodes(stack_app.instance_path, 'sim-lossy') == {
        n['provider_id']: n['name'] for n in stack['nodes']
    }
    events = api.get('/v1/stacks/%s/events' % stack['id']).json['events']
    assert any('answer was lost' in e['message'] for e in events)


def test_a_throttled_create_is_asked_again_after_its_retry_after(
    api, stack_app, caplog
):
    stack, job = create(api, template(count=4, clouds=['sim-busy']))
    assert stack['status'] == 'active'
    assert retried(caplog, 'creating') == names(stack)
    assert [n['state'] for n in stack['nodes']] == ['running'] * 4
    assert provider_nodes(stack_app.instance_path, 'sim-busy') == {
        n['provider_id']: n['name'] for n in stack['nodes']
    }


def test_a_create_failing_with_5xx_is_asked_again_once_the_name_is_free(
    api, stack_app, caplog
):
    stack, job = create(api, template(count=3, clouds=['sim-flaky']))
    assert stack['status'] == 'active'
    assert retried(caplog, 'creating') == names(stack)
    assert [n['state'] for n in stack['nodes']] == ['running'] * 3
    # Exactly the stack's nodes at the provider: none made twice.
    assert provider_nodes(stack_app.instance_path, 'sim-flaky') == {
        n['provider_id']: n['name'] for n in stack['nodes']
    }


def failing_until(answers):
    """A provider call failing with ``answers`` in turn, then ``'made'``;
    its attempts are counted in ``call.attempts``."""

    def call():
        call.attempts += 1
        if call.attempts <= len(answers):
            raise answers[call.attempts - 1]
        return 'made'

    call.attempts = 0
    return call


def test_a_retry_after_within_the_retry_time_is_waited():
    call = failing_until([errors.RateLimited('busy', retry_after=1)])
    config = {'JOB_RETRY_SECONDS': 5}
    assert retries.call(config, 'creating node n', call) == 'made'
    assert call.attempts == 2


def test_a_wait_past_the_retry_time_is_not_waited():
    # An open circuit's next probe is 30 s away; the job may retry for 2.
    refusal = errors.CloudUnavailable(
        'circuit open',
        code='cloud_circuit_open',
        headers={'Retry-After': '30'},
    )
    call = failing_until([refusal])
    with pytest.raises(errors.CloudUnavailable) as raised:
        retries.call({'JOB_RETRY_SECONDS': 2}, 'destroying node n', call)
    assert raised.value is refusal
    assert call.attempts == 1
