"""POST /v1/stacks: validation first, parallel creation, rollback or keep."""

import re

import pytest
from sqlalchemy import select

from dispatcher import storage
from dispatcher.storage.models import Stack, StackNode
from tests.orchestration.support import (
    broken_group,
    create,
    provider_nodes,
    template,
    wait_for_job,
)

NODE_NAME = re.compile(r'^web-front-(\d+)-[0-9a-f]{6}$')


def test_a_stack_spreads_over_its_clouds_and_becomes_active(api, stack_app):
    response = api.post(
        '/v1/stacks', json=template(count=4, clouds=['default', 'sim-b'])
    )
    assert response.status_code == 202
    body = response.json
    assert (
        response.headers['Location'] == '/v1/stacks/%s' % body['stack']['id']
    )
    assert body['stack']['status'] == 'creating'
    assert body['job']['kind'] == 'stack.create'
    assert body['job']['status'] == 'queued'
    planned = body['stack']['nodes']
    assert [n['state'] for n in planned] == ['planned'] * 4
    assert [n['cloud'] for n in planned] == ['default', 'sim-b'] * 2
    assert [int(NODE_NAME.match(n['name']).group(1)) for n in planned] == [
        1,
        2,
        3,
        4,
    ]

    job = wait_for_job(api, body['job']['id'])
    assert job['status'] == 'succeeded', job
    assert job['progress'] == {'done': 4, 'total': 4}
    assert sorted(step['status'] for step in job['steps']) == ['succeeded'] * 4
    # Each step's result is its node as it ended: running.
    assert {step['result']['state'] for step in job['steps']} == {'running'}
    stack = api.get(response.headers['Location']).json['stack']
    assert stack['status'] == 'active'
    assert stack['node_counts'] == {'running': 4}
    instance = stack_app.instance_path
    for cloud in ('default', 'sim-b'):
        at_provider = provider_nodes(instance, cloud)
        ours = {
            n['provider_id']: n['name']
            for n in stack['nodes']
            if n['cloud'] == cloud
        }
        assert ours == at_provider
    assert all(n['public_ips'] and n['private_ips'] for n in stack['nodes'])
    kinds = [
        e['kind']
        for e in api.get('/v1/stacks/%s/events' % stack['id']).json['events']
    ]
    assert kinds[0] == 'stack.creating'
    assert kinds.count('node.created') == 4
    assert kinds.count('node.running') == 4
    assert kinds[-1] == 'stack.active'


@pytest.mark.usefixtures('database_url')
def test_nodes_running_at_creation_finish_their_steps(farm_config, request):
    farm_config['default']['EXTRA_PARAMS']['boot_time'] = 0
    api = request.getfixturevalue('api')
    stack, job = create(api, template(count=2))
    assert [step['status'] for step in job['steps']] == ['succeeded'] * 2
    kinds = [
        e['kind']
        for e in api.get('/v1/stacks/%s/events' % stack['id']).json['events']
    ]
    assert kinds.count('node.running') == 2


def test_a_group_of_zero_nodes_is_active_at_once(api):
    stack, job = create(api, template(count=0))
    assert stack['status'] == 'active'
    assert stack['nodes'] == []


def _group(**changes):
    group = {
        'name': 'front',
        'cloud': 'default',
        'size': 'small',
        'image': 'img-ubuntu-24.04',
        'count': 1,
    }
    group.update(changes)
    return {key: value for key, value in group.items() if value is not None}


BAD_TEMPLATES = [
    ({'groups': [_group()]}, 'name'),
    ({'name': 'web'}, 'groups'),
    ({'name': 'web', 'groups': []}, 'groups'),
    ({'name': 'web server', 'groups': [_group()]}, 'name'),
    ({'name': 'web', 'groups': [_group()], 'colour': 'red'}, 'colour'),
    (
        {'name': 'web', 'groups': [_group()], 'on_failure': 'pray'},
        'on_failure',
    ),
    ({'name': 'web', 'groups': [_group()], 'timeout': 0}, 'timeout'),
    ({'name': 'web', 'groups': [_group(size=None)]}, 'groups[0].size'),
    ({'name': 'web', 'groups': [_group(count=-1)]}, 'groups[0].count'),
    ({'name': 'web', 'groups': [_group(count='2')]}, 'groups[0].count'),
    ({'name': 'web', 'groups': [_group(count=1001)]}, 'groups[0].count'),
    (
        {
            'name': 'web',
            'groups': [_group(count=400), _group(name='b', count=400)],
        },
        'groups',
    ),
    ({'name': 'web', 'groups': [_group(), _group()]}, 'groups[1].name'),
    ({'name': 'web', 'groups': [_group(size='huge')]}, 'groups[0].size'),
    (
        {'name': 'web', 'groups': [_group(image='img-windows')]},
        'groups[0].image',
    ),
    (
        {'name': 'web', 'groups': [_group(location='moon-1a')]},
        'groups[0].location',
    ),
    (
        {'name': 'web', 'groups': [_group(key_name='nobody')]},
        'groups[0].key_name',
    ),
    ({'name': 'web', 'groups': [_group(cloud='nowhere')]}, 'groups[0].cloud'),
    ({'name': 'web', 'groups': [_group(cloud=None)]}, 'groups[0].cloud'),
    (
        {'name': 'web', 'groups': [_group(clouds=['default'])]},
        'groups[0].clouds',
    ),
    (
        {
            'name': 'web',
            'groups': [_group(cloud=None, clouds=['default', 'nowhere'])],
        },
        'groups[0].clouds[1]',
    ),
    (
        {
            'name': 'web',
            'groups': [_group(cloud=None, clouds=['default', 'default'])],
        },
        'groups[0].clouds',
    ),
    (
        {
            'name': 'web',
            'groups': [
                _group(),
                _group(name='db', cloud='sim-b', colour='red'),
            ],
        },
        'groups[1].colour',
    ),
    (
        {
            'name': 'web',
            'groups': [_group(per_cloud={'sim-b': {'size': 'large'}})],
        },
        'groups[0].per_cloud.sim-b',
    ),
    (
        {
            'name': 'web',
            'groups': [
                _group(
                    cloud=None,
                    clouds=['default', 'sim-b'],
                    per_cloud={'sim-b': {'image': 'img-windows'}},
                )
            ],
        },
        'groups[0].per_cloud.sim-b.image',
    ),
    (
        {
            'name': 'web',
            'groups': [
                _group(
                    cloud=None,
                    clouds=['default', 'sim-b'],
                    size=None,
                    per_cloud={'sim-b': {'size': 'large'}},
                )
            ],
        },
        'groups[0].size',
    ),
    (
        {
            'name': 'web',
            'groups': [_group(per_cloud={'default': {'colour': 'red'}})],
        },
        'groups[0].per_cloud.default.colour',
    ),
]


@pytest.mark.parametrize('body, field', BAD_TEMPLATES)
def test_a_bad_template_is_400_naming_the_field_and_creates_nothing(
    api, stack_app, body, field
):
    response = api.post('/v1/stacks', json=body)
    assert response.status_code == 400, response.json
    error = response.json['error']
    assert error['field'] == field, error
    assert field in error['message']
    with storage.database(stack_app).session() as session:
        assert session.scalars(select(Stack)).all() == []
        assert session.scalars(select(StackNode)).all() == []
    assert api.get('/v1/jobs').json['jobs'] == []
    for cloud in ('default', 'sim-b'):
        assert provider_nodes(stack_app.instance_path, cloud) == {}


def test_a_body_that_is_not_json_is_415(api):
    response = api.post(
        '/v1/stacks',
        data='name=web',
        content_type='application/x-www-form-urlencoded',
    )
    assert response.status_code == 415


@pytest.mark.usefixtures('database_url')
def test_an_unavailable_cloud_is_400_naming_it(farm_config, request):
    farm_config['sim-b'] = {'ENGINE': 'no-such-engine'}
    api = request.getfixturevalue('api')
    response = api.post(
        '/v1/stacks', json=template(clouds=['default', 'sim-b'])
    )
    assert response.status_code == 400
    error = response.json['error']
    assert error['field'] == 'groups[0].clouds[1]'
    assert error['cloud'] == 'sim-b'
    assert error['code'] == 'cloud_unavailable'


@pytest.mark.usefixtures('database_url')
def test_a_cloud_that_cannot_create_nodes_is_400(farm_config, request):
    farm_config['sim-b']['UNSUPPORTED'] = ['create_node']
    api = request.getfixturevalue('api')
    response = api.post('/v1/stacks', json=template(clouds=['sim-b']))
    assert response.status_code == 400
    assert response.json['error']['code'] == 'not_supported'
    assert response.json['error']['field'] == 'groups[0].clouds[0]'


def test_a_name_in_use_is_409(api):
    create(api, template(count=1))
    response = api.post('/v1/stacks', json=template(count=1))
    assert response.status_code == 409
    assert response.json['error']['code'] == 'stack_exists'
    assert response.json['error']['field'] == 'name'


def test_a_retried_request_with_the_same_key_gets_the_first_answer(
    api, stack_app
):
    headers = {'Idempotency-Key': 'deploy-42'}
    first = api.post('/v1/stacks', json=template(count=2), headers=headers)
    again = api.post('/v1/stacks', json=template(count=2), headers=headers)
    assert first.status_code == again.status_code == 202
    assert again.json == first.json
    assert again.headers['Location'] == first.headers['Location']
    wait_for_job(api, first.json['job']['id'])
    assert len(api.get('/v1/stacks').json['stacks']) == 1
    assert len(provider_nodes(stack_app.instance_path, 'default')) == 2

    other = api.post(
        '/v1/stacks', json=template(name='other'), headers=headers
    )
    assert other.status_code == 409
    assert other.json['error']['code'] == 'idempotency_key_reused'
    bad = api.post(
        '/v1/stacks',
        json=template(name='other'),
        headers={'Idempotency-Key': 'has space'},
    )
    assert bad.status_code == 400
    assert bad.json['error']['field'] == 'Idempotency-Key'


def test_a_failure_rolls_back_everything_and_reports_per_node(api, stack_app):
    body = template(count=2, clouds=['default'])
    body['groups'].append(broken_group())
    stack, job = create(api, body, expect='failed')
    assert stack['status'] == 'rolled_back'
    assert job['error']['code'] == 'stack_failed'
    assert 'web-db-1-' in job['error']['message']
    assert job['error']['details']['failed_nodes'][0]['cloud'] == 'sim-broken'
    by_group = {n['group']: n for n in stack['nodes']}
    assert by_group['db']['error']['status'] == 502
    assert {n['state'] for n in stack['nodes']} == {'destroyed'}
    for cloud in ('default', 'sim-broken'):
        assert provider_nodes(stack_app.instance_path, cloud) == {}
    kinds = [
        e['kind']
        for e in api.get('/v1/stacks/%s/events' % stack['id']).json['events']
    ]
    assert 'node.failed' in kinds
    assert kinds[-1] == 'stack.rolled_back'
    # The name is free again once the failed stack is deleted.
    deleted = api.delete('/v1/stacks/%s' % stack['id'])
    assert (
        wait_for_job(api, deleted.json['job']['id'])['status'] == 'succeeded'
    )
    create(api, template(count=1))


def test_keep_leaves_the_good_nodes_and_reports_the_bad(api, stack_app):
    body = template(count=2, clouds=['default'])
    body['on_failure'] = 'keep'
    body['groups'].append(broken_group())
    stack, job = create(api, body, expect='failed')
    assert stack['status'] == 'failed'
    states = {n['group']: n['state'] for n in stack['nodes']}
    assert states == {'front': 'running', 'db': 'failed'}
    failed = [n for n in stack['nodes'] if n['state'] == 'failed'][0]
    assert failed['error']['cloud'] == 'sim-broken'
    assert failed['provider_id'] is None
    kept = {
        n['provider_id'] for n in stack['nodes'] if n['state'] == 'running'
    }
    assert set(provider_nodes(stack_app.instance_path, 'default')) == kept


@pytest.mark.usefixtures('database_url')
def test_nodes_not_running_within_the_timeout_fail_the_stack(
    farm_config, request
):
    farm_config['default']['EXTRA_PARAMS']['boot_time'] = 60
    stack_app = request.getfixturevalue('stack_app')
    api = request.getfixturevalue('api')
    body = template(count=2)
    body['timeout'] = 1
    stack, job = create(api, body, expect='failed')
    assert job['error']['code'] == 'stack_timeout'
    assert job['error']['status'] == 504
    assert stack['status'] == 'rolled_back'
    assert provider_nodes(stack_app.instance_path, 'default') == {}


def test_who_asked_is_recorded_but_never_the_token(api, stack_app):
    token = 'mwt_tokenvalue-that-must-not-be-stored'
    response = api.post(
        '/v1/stacks', json=template(count=1), headers={'X-Auth-Token': token}
    )
    job = wait_for_job(api, response.json['job']['id'])
    assert job['requested_by'].startswith('token:')
    assert token not in job['requested_by']
    anonymous = api.post('/v1/stacks', json=template(name='b', count=0))
    assert anonymous.json['job']['requested_by'] == 'anonymous'
    database = storage.database(stack_app)
    with database.engine.connect() as connection:
        for table in (
            'jobs',
            'job_steps',
            'stacks',
            'stack_nodes',
            'stack_events',
            'idempotency_keys',
        ):
            for row in connection.exec_driver_sql('SELECT * FROM %s' % table):
                assert token not in repr(tuple(row))


def test_each_cloud_of_a_group_may_have_its_own_size_and_image(api):
    group = _group(
        cloud=None,
        clouds=['default', 'sim-b'],
        size=None,
        count=4,
        per_cloud={
            'default': {'size': 'small'},
            'sim-b': {'size': 'large', 'image': 'img-debian-12'},
        },
    )
    response = api.post(
        '/v1/stacks', json={'name': 'mixed', 'groups': [group]}
    )
    assert response.status_code == 202, response.json
    job = wait_for_job(api, response.json['job']['id'])
    assert job['status'] == 'succeeded', job
    stack = api.get('/v1/stacks/%s' % response.json['stack']['id']).json[
        'stack'
    ]
    chosen = {(n['cloud'], n['size'], n['image']) for n in stack['nodes']}
    assert chosen == {
        ('default', 'small', 'img-ubuntu-24.04'),
        ('sim-b', 'large', 'img-debian-12'),
    }
    shown = stack['groups'][0]
    assert shown['size'] is None and shown['image'] == 'img-ubuntu-24.04'
    assert shown['per_cloud']['sim-b'] == {
        'size': 'large',
        'image': 'img-debian-12',
    }
    listed = api.get('/v1/clouds/sim-b/nodes').json['nodes']
    assert {n['size'] for n in listed if n['name'].startswith('mixed-')} == {
        'large'
    }
