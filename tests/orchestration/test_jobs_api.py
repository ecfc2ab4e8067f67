"""GET /v1/jobs, GET /v1/jobs/<id>, its steps, POST /v1/jobs/<id>/cancel."""

from tests.orchestration.support import (
    broken_group,
    create,
    template,
    wait_for_job,
)


def test_jobs_are_listed_newest_first_paginated_and_filtered(api):
    stack, first = create(api, template(count=1))
    deleting = api.delete('/v1/stacks/%s' % stack['id'])
    second = wait_for_job(api, deleting.json['job']['id'])
    third = create(api, template(name='other', count=0))[1]

    listed = api.get('/v1/jobs').json
    assert [j['id'] for j in listed['jobs']] == [
        third['id'],
        second['id'],
        first['id'],
    ]
    assert listed['next_marker'] is None
    assert 'steps' not in listed['jobs'][0]
    page = api.get('/v1/jobs?limit=2').json
    assert [j['id'] for j in page['jobs']] == [third['id'], second['id']]
    page = api.get('/v1/jobs?limit=2&marker=%s' % page['next_marker']).json
    assert [j['id'] for j in page['jobs']] == [first['id']]
    kinds = api.get('/v1/jobs?kind=stack.delete').json['jobs']
    assert [j['id'] for j in kinds] == [second['id']]
    succeeded = api.get('/v1/jobs?status=succeeded').json['jobs']
    assert len(succeeded) == 3
    assert api.get('/v1/jobs?status=failed').json['jobs'] == []


def test_a_job_names_its_target_and_its_steps(api):
    stack, job = create(api, template(count=2))
    assert job['target'] == {'type': 'stack', 'id': stack['id']}
    assert job['attempts'] == 1
    assert job['result']['stack_id'] == stack['id']
    assert job['result']['node_states'] == {'running': 2}
    assert job['started_at'] and job['finished_at']
    names = sorted(step['name'] for step in job['steps'])
    assert names == sorted('create %s' % n['name'] for n in stack['nodes'])
    step = job['steps'][0]
    assert step['result']['provider_id'] in {
        n['provider_id'] for n in stack['nodes']
    }
    assert step['error'] is None


def test_the_steps_of_a_job_are_paged_in_their_order_and_filtered(api):
    body = template(count=3)
    body['groups'].append(broken_group())
    body['on_failure'] = 'keep'
    stack, job = create(api, body, expect='failed')
    route = '/v1/jobs/%s/steps' % job['id']

    pages, marker = [], None
    while True:
        answer = api.get(
            route + '?limit=2' + ('&marker=%s' % marker if marker else '')
        )
        assert answer.status_code == 200, answer.json
        pages.append(answer.json['steps'])
        marker = answer.json['next_marker']
        if not marker:
            break
    assert [len(page) for page in pages] == [2, 2]
    # The same steps as the job's own answer, in the same order.
    assert [step for page in pages for step in page] == job['steps']
    failed = api.get(route + '?status=failed').json
    assert failed['next_marker'] is None
    [step] = failed['steps']
    db = [n for n in stack['nodes'] if n['group'] == 'db'][0]
    assert step['name'] == 'create %s' % db['name']
    assert step['error']['status'] == 502
    assert api.get(route + '?status=running').json['steps'] == []


def test_bad_filters_and_markers_are_400_naming_them(api):
    for query, field in (
        ('status=sleeping', 'status'),
        ('kind=stack.explode', 'kind'),
        ('limit=100000', 'limit'),
        ('marker=no-such-job', 'marker'),
    ):
        response = api.get('/v1/jobs?' + query)
        assert response.status_code == 400, query
        assert response.json['error']['field'] == field
    _, job = create(api, template(count=1))
    for query, field in (
        ('status=sleeping', 'status'),
        ('marker=no-such-step', 'marker'),
        ('limit=0', 'limit'),
    ):
        response = api.get('/v1/jobs/%s/steps?%s' % (job['id'], query))
        assert response.status_code == 400, query
        assert response.json['error']['field'] == field


def test_unknown_jobs_are_404(api):
    for response in (
        api.get('/v1/jobs/nope'),
        api.get('/v1/jobs/nope/steps'),
        api.post('/v1/jobs/nope/cancel'),
    ):
        assert response.status_code == 404
        assert response.json['error']['code'] == 'job_not_found'


def test_a_finished_job_cannot_be_cancelled(api):
    _, job = create(api, template(count=1))
    response = api.post('/v1/jobs/%s/cancel' % job['id'])
    assert response.status_code == 409
    assert response.json['error']['code'] == 'job_finished'
