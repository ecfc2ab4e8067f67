"""A stack's nodes are gone only when their clouds no longer list them."""

import pytest

from tests.orchestration.support import (
    create,
    provider_nodes,
    template,
    wait_for_job,
)


@pytest.fixture
def farm_config(farm_config):
    farm_config['keeper'] = {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {'boot_time': 0.0, 'keep_deleted': True},
    }
    return farm_config


@pytest.fixture
def stack_settings(stack_settings):
    return dict(stack_settings, DELETE_CONFIRM_SECONDS=1)


def test_a_node_the_provider_keeps_is_delete_failed(api, stack_app):
    stack, _ = create(
        api, template('kept', count=2, clouds=('keeper', 'default'))
    )
    stack_id = stack['id']
    deleted = api.delete('/v1/stacks/%s' % stack_id)
    assert deleted.status_code == 202
    job = wait_for_job(api, deleted.json['job']['id'])
    assert job['status'] == 'failed', job
    assert job['error']['code'] == 'stack_delete_failed'
    kept = job['error']['details']['still_listed']
    assert [k['cloud'] for k in kept] == ['keeper']
    assert 'still lists it' in kept[0]['error']['message']
    stack = api.get('/v1/stacks/%s' % stack_id).json['stack']
    assert stack['status'] == 'failed'
    states = {n['cloud']: n['state'] for n in stack['nodes']}
    assert states == {'keeper': 'delete_failed', 'default': 'destroyed'}
    assert provider_nodes(stack_app.instance_path, 'default') == {}
    assert len(provider_nodes(stack_app.instance_path, 'keeper')) == 1
    kinds = [
        e['kind']
        for e in api.get('/v1/stacks/%s/events' % stack_id).json['events']
    ]
    assert 'node.delete_failed' in kinds


def test_a_stack_is_deleted_once_its_nodes_are_no_longer_listed(
    api, stack_app
):
    stack, _ = create(
        api, template('goes', count=2, clouds=('default', 'sim-b'))
    )
    deleted = api.delete('/v1/stacks/%s' % stack['id'])
    job = wait_for_job(api, deleted.json['job']['id'])
    assert job['status'] == 'succeeded', job
    for cloud in ('default', 'sim-b'):
        assert provider_nodes(stack_app.instance_path, cloud) == {}
