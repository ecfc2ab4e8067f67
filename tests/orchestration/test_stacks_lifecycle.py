"""A stack's life after creation: scale, delete, cancel, history, lists."""

import time

import pytest

from tests.orchestration.support import (
    broken_group,
    create,
    provider,
    provider_nodes,
    template,
    wait_for_job,
)


def _live(stack, group=None):
    return [
        n
        for n in stack['nodes']
        if n['state'] != 'destroyed' and (group is None or n['group'] == group)
    ]


def _patch(api, stack, groups, expect='succeeded'):
    response = api.patch(
        '/v1/stacks/%s' % stack['id'], json={'groups': groups}
    )
    assert response.status_code == 202, response.json
    assert response.json['job']['kind'] == 'stack.scale'
    assert (
        response.headers['Location']
        == '/v1/jobs/%s' % response.json['job']['id']
    )
    job = wait_for_job(api, response.json['job']['id'])
    assert job['status'] == expect, job
    return api.get('/v1/stacks/%s' % stack['id']).json['stack'], job


def test_scaling_up_and_down_keeps_the_spread_and_the_provider_in_step(
    api, stack_app
):
    stack, _ = create(api, template(count=2, clouds=['default', 'sim-b']))
    stack, job = _patch(api, stack, [{'name': 'front', 'count': 5}])
    assert stack['status'] == 'active'
    assert stack['groups'][0]['count'] == 5
    live = _live(stack)
    assert [n['index'] for n in live] == [1, 2, 3, 4, 5]
    assert [n['cloud'] for n in live] == ['default', 'sim-b'] * 2 + ['default']
    assert {n['state'] for n in live} == {'running'}
    assert job['progress'] == {'done': 3, 'total': 3}

    stack, job = _patch(api, stack, [{'name': 'front', 'count': 1}])
    live = _live(stack)
    assert [n['index'] for n in live] == [1]
    assert stack['groups'][0]['count'] == 1
    for cloud in ('default', 'sim-b'):
        assert set(provider_nodes(stack_app.instance_path, cloud)) == {
            n['provider_id'] for n in live if n['cloud'] == cloud
        }
    kinds = [
        e['kind']
        for e in api.get('/v1/stacks/%s/events' % stack['id']).json['events']
    ]
    assert kinds.count('stack.scaling') == 2
    assert kinds.count('node.destroyed') == 4
    assert kinds[-1] == 'stack.scaled'


def test_a_failed_scale_up_rolls_back_only_the_new_nodes(api, stack_app):
    body = template(count=1)
    body['groups'].append(
        {
            'name': 'db',
            'cloud': 'sim-broken',
            'size': 'small',
            'image': 'img-debian-12',
            'count': 0,
        }
    )
    stack, _ = create(api, body)
    stack, job = _patch(
        api,
        stack,
        [{'name': 'db', 'count': 2}, {'name': 'front', 'count': 2}],
        expect='failed',
    )
    assert job['error']['code'] == 'stack_failed'
    assert stack['status'] == 'active'
    assert [n['index'] for n in _live(stack)] == [1]
    assert {g['name']: g['count'] for g in stack['groups']} == {
        'front': 1,
        'db': 0,
    }
    assert len(provider_nodes(stack_app.instance_path, 'default')) == 1


BAD_PATCHES = [
    ({}, 'groups'),
    ({'groups': []}, 'groups'),
    ({'groups': [{'name': 'back', 'count': 1}]}, 'groups[0].name'),
    ({'groups': [{'name': 'front'}]}, 'groups[0].count'),
    ({'groups': [{'name': 'front', 'count': -2}]}, 'groups[0].count'),
    (
        {'groups': [{'name': 'front', 'count': 1, 'size': 'large'}]},
        'groups[0].size',
    ),
    (
        {
            'groups': [
                {'name': 'front', 'count': 1},
                {'name': 'front', 'count': 2},
            ]
        },
        'groups[1].name',
    ),
]


@pytest.mark.parametrize('body, field', BAD_PATCHES)
def test_a_bad_scale_request_is_400_naming_the_field(api, body, field):
    stack, _ = create(api, template(count=1))
    response = api.patch('/v1/stacks/%s' % stack['id'], json=body)
    assert response.status_code == 400
    assert response.json['error']['field'] == field


def test_a_stack_being_created_cannot_be_scaled(api, stack_app):
    response = api.post('/v1/stacks', json=template(count=2))
    busy = api.patch(
        response.headers['Location'],
        json={'groups': [{'name': 'front', 'count': 3}]},
    )
    assert busy.status_code == 409
    assert busy.json['error']['code'] == 'invalid_state'
    assert 'creating' in busy.json['error']['message']
    wait_for_job(api, response.json['job']['id'])


def test_unknown_stacks_are_404(api):
    for response in (
        api.get('/v1/stacks/nope'),
        api.delete('/v1/stacks/nope'),
        api.get('/v1/stacks/nope/events'),
        api.patch('/v1/stacks/nope', json={'groups': []}),
    ):
        assert response.status_code == 404
        assert response.json['error']['code'] == 'stack_not_found'


def test_delete_destroys_everything_and_is_idempotent(api, stack_app):
    stack, _ = create(api, template(count=3, clouds=['default', 'sim-b']))
    # One node is already gone at the provider: not an error.
    gone = [n for n in stack['nodes'] if n['cloud'] == 'default'][0]
    driver = provider(stack_app.instance_path, 'default')
    driver.destroy_node(driver.ex_get_node(gone['provider_id']))

    first = api.delete('/v1/stacks/%s' % stack['id'])
    assert first.status_code == 202
    assert first.json['job']['kind'] == 'stack.delete'
    job = wait_for_job(api, first.json['job']['id'])
    assert job['status'] == 'succeeded', job
    again = api.delete('/v1/stacks/%s' % stack['id'])
    assert again.status_code == 202
    assert again.json['job']['id'] == first.json['job']['id']
    assert again.json['stack']['status'] == 'deleted'
    for cloud in ('default', 'sim-b'):
        assert provider_nodes(stack_app.instance_path, cloud) == {}
    events = api.get('/v1/stacks/%s/events' % stack['id']).json['events']
    destroyed = [e['message'] for e in events if e['kind'] == 'node.destroyed']
    assert sum('already gone' in m for m in destroyed) == 1
    assert events[-1]['kind'] == 'stack.deleted'
    # Deleted stacks leave the list, and their name is free.
    assert api.get('/v1/stacks').json['stacks'] == []
    listed = api.get('/v1/stacks?status=deleted').json['stacks']
    assert [s['id'] for s in listed] == [stack['id']]
    create(api, template(count=1))


def test_deleting_a_stack_being_created_leaves_nothing(
    api, stack_app, farm_config
):
    response = api.post(
        '/v1/stacks', json=template(count=4, clouds=['default', 'sim-b'])
    )
    deleting = api.delete(response.headers['Location'])
    assert deleting.status_code == 202
    creation = wait_for_job(api, response.json['job']['id'])
    assert creation['status'] in ('cancelled', 'succeeded')
    job = wait_for_job(api, deleting.json['job']['id'])
    assert job['status'] == 'succeeded', job
    stack = api.get(response.headers['Location']).json['stack']
    assert stack['status'] == 'deleted'
    assert {n['state'] for n in stack['nodes']} == {'destroyed'}
    for cloud in ('default', 'sim-b'):
        assert provider_nodes(stack_app.instance_path, cloud) == {}


@pytest.mark.usefixtures('database_url')
def test_cancelling_a_creation_rolls_it_back(farm_config, request):
    farm_config['default']['EXTRA_PARAMS']['boot_time'] = 60
    stack_app = request.getfixturevalue('stack_app')
    api = stack_app.test_client()
    response = api.post('/v1/stacks', json=template(count=2))
    job_id = response.json['job']['id']
    cancel = api.post('/v1/jobs/%s/cancel' % job_id)
    assert cancel.status_code == 202
    assert cancel.json['job']['cancel_requested'] is True
    job = wait_for_job(api, job_id)
    assert job['status'] == 'cancelled'
    stack = api.get(response.headers['Location']).json['stack']
    assert stack['status'] == 'rolled_back'
    assert stack['error']['code'] == 'job_cancelled'
    assert provider_nodes(stack_app.instance_path, 'default') == {}
    finished = api.post('/v1/jobs/%s/cancel' % job_id)
    assert finished.status_code == 409
    assert finished.json['error']['code'] == 'job_finished'


def test_events_and_stacks_are_paginated(api):
    stack, _ = create(api, template(count=2))
    create(api, template(name='second', count=0))
    events = api.get('/v1/stacks/%s/events' % stack['id']).json['events']
    first = api.get('/v1/stacks/%s/events?limit=2' % stack['id']).json
    assert first['events'] == events[:2]
    rest = api.get(
        '/v1/stacks/%s/events?limit=100&marker=%s'
        % (stack['id'], first['next_marker'])
    ).json
    assert rest['events'] == events[2:]
    assert rest['next_marker'] is None

    page = api.get('/v1/stacks?limit=1').json
    assert [s['name'] for s in page['stacks']] == ['second']
    page = api.get('/v1/stacks?limit=1&marker=%s' % page['next_marker']).json
    assert [s['name'] for s in page['stacks']] == ['web']
    assert page['stacks'][0]['node_counts'] == {'running': 2}
    assert (
        api.get('/v1/stacks?name=second').json['stacks'][0]['name'] == 'second'
    )
    active = api.get('/v1/stacks?status=active').json['stacks']
    assert len(active) == 2
    for query, field in (
        ('limit=0', 'limit'),
        ('marker=nope', 'marker'),
        ('status=sleeping', 'status'),
    ):
        response = api.get('/v1/stacks?' + query)
        assert response.status_code == 400
        assert response.json['error']['field'] == field
    for marker in ('x', '1' + '0' * 30, '-1'):
        bad = api.get(
            '/v1/stacks/%s/events' % stack['id'],
            query_string={'marker': marker},
        )
        assert bad.status_code == 400
        assert bad.json['error']['field'] == 'marker'


def test_scaling_a_failed_stack_replaces_or_drops_its_failed_nodes(api):
    body = template(count=2)
    body['on_failure'] = 'keep'
    body['groups'].append(broken_group())
    stack, _ = create(api, body, expect='failed')
    assert stack['status'] == 'failed'
    stack, job = _patch(
        api, stack, [{'name': 'db', 'count': 0}, {'name': 'front', 'count': 2}]
    )
    assert stack['status'] == 'active'
    assert [(n['group'], n['state']) for n in _live(stack)] == [
        ('front', 'running')
    ] * 2
    failed = [n for n in stack['nodes'] if n['group'] == 'db']
    assert [n['state'] for n in failed] == ['destroyed']


@pytest.mark.usefixtures('database_url')
def test_a_node_destroyed_behind_the_stacks_back_while_it_boots_fails_it(
    farm_config, request
):
    # The listing does not show it and a lookup by id does not find it:
    # the node is gone, not merely late in the provider's listings.
    farm_config['default']['EXTRA_PARAMS']['boot_time'] = 60
    stack_app = request.getfixturevalue('stack_app')
    api = stack_app.test_client()
    response = api.post('/v1/stacks', json=template(count=2))
    location = response.headers['Location']
    driver = provider(stack_app.instance_path, 'default')
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        made = [
            n
            for n in api.get(location).json['stack']['nodes']
            if n['provider_id']
        ]
        if len(made) == 2:
            break
        time.sleep(0.05)
    assert len(made) == 2
    driver.destroy_node(driver.ex_get_node(made[0]['provider_id']))
    job = wait_for_job(api, response.json['job']['id'])
    assert job['status'] == 'failed'
    failed = job['error']['details']['failed_nodes']
    assert [f['node'] for f in failed] == [made[0]['name']]
    assert failed[0]['error']['code'] == 'node_vanished'
    assert provider_nodes(stack_app.instance_path, 'default') == {}
