"""Tokens limited to some clouds: other clouds do not exist for them."""

import pytest

IMAGE = 'img-ubuntu-24.04'


@pytest.fixture
def tokens(make_token):
    """Operators limited to ``default`` (a) and to ``sim-b`` (b)."""
    return {
        'a': make_token('operator', clouds=['default'], name='team-a'),
        'b': make_token('operator', clouds=['sim-b'], name='team-b'),
    }


def _node(call, token, cloud, name):
    response = call(
        'POST',
        '/v1/clouds/%s/nodes' % cloud,
        token,
        json={'name': name, 'size': 'small', 'image': IMAGE},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()['node']


def _stack(call, token, name, clouds):
    return call(
        'POST',
        '/v1/stacks',
        token,
        json={
            'name': name,
            'groups': [
                {
                    'name': 'web',
                    'clouds': clouds,
                    'size': 'small',
                    'image': IMAGE,
                    'count': len(clouds),
                }
            ],
        },
    )


def _not_found(response, code, name=None):
    assert response.status_code == 404, response.get_json()
    error = response.get_json()['error']
    assert error['code'] == code
    if name is not None:
        assert error['message'] == 'cloud %r not found' % name
        assert error['cloud'] == name
    return error


def test_each_token_lists_only_its_clouds(call, tokens):
    for key, cloud in (('a', 'default'), ('b', 'sim-b')):
        clouds = call('GET', '/v1/clouds', tokens[key]).get_json()['clouds']
        assert [c['name'] for c in clouds] == [cloud]


def test_cross_cloud_listing_holds_only_its_clouds(call, tokens, admin_token):
    mine = _node(call, tokens['a'], 'default', 'a-node')
    theirs = _node(call, tokens['b'], 'sim-b', 'b-node')
    for key, node in (('a', mine), ('b', theirs)):
        listed = call('GET', '/v1/nodes', tokens[key]).get_json()
        assert [n['id'] for n in listed['nodes']] == [node['id']]
        assert listed['errors'] == []
    everything = call('GET', '/v1/nodes', admin_token).get_json()['nodes']
    assert {(n['cloud'], n['id']) for n in everything} >= {
        ('default', mine['id']),
        ('sim-b', theirs['id']),
    }
    assert 'dummy' in {n['cloud'] for n in everything}


def test_another_cloud_is_404_as_if_it_did_not_exist(
    call, tokens, admin_token
):
    theirs = _node(call, tokens['b'], 'sim-b', 'b-node')
    hidden = call('GET', '/v1/clouds/sim-b', tokens['a']).get_json()
    unknown = call('GET', '/v1/clouds/sim-z', admin_token).get_json()
    assert set(hidden['error']) == set(unknown['error'])
    assert hidden['error']['message'] == unknown['error']['message'].replace(
        'sim-z', 'sim-b'
    )
    token = tokens['a']
    for method, path, body in [
        ('GET', '/v1/clouds/sim-b', None),
        ('GET', '/v1/clouds/sim-b/nodes', None),
        ('GET', '/v1/clouds/sim-b/nodes/' + theirs['id'], None),
        ('DELETE', '/v1/clouds/sim-b/nodes/' + theirs['id'], None),
        (
            'POST',
            '/v1/clouds/sim-b/nodes',
            {'name': 'x', 'size': 'small', 'image': IMAGE},
        ),
        ('GET', '/v1/clouds/sim-b/images', None),
        ('GET', '/v1/nodes?cloud=sim-b', None),
        ('GET', '/v1/nodes?cloud=default,dummy', None),
    ]:
        kwargs = {'json': body} if body is not None else {}
        error = _not_found(
            call(method, path, token, **kwargs), 'cloud_not_found'
        )
        assert theirs['id'] not in str(error)
    shown = call('GET', '/v1/clouds/sim-b/nodes/' + theirs['id'], tokens['b'])
    assert shown.status_code == 200


def test_a_reader_limited_to_a_cloud_is_403_on_it_and_404_elsewhere(
    call, make_token
):
    reader = make_token('reader', clouds=['default'])
    body = {'name': 'x', 'size': 'small', 'image': IMAGE}
    assert (
        call('POST', '/v1/clouds/default/nodes', reader, json=body).status_code
        == 403
    )
    _not_found(
        call('POST', '/v1/clouds/sim-b/nodes', reader, json=body),
        'cloud_not_found',
        'sim-b',
    )


def test_stacks_and_jobs_are_seen_only_with_all_their_clouds(
    call, tokens, admin_token
):
    both = _stack(call, admin_token, 'both', ['default', 'sim-b'])
    only_a = _stack(call, tokens['a'], 'only-a', ['default'])
    assert both.status_code == only_a.status_code == 202
    both, only_a = both.get_json(), only_a.get_json()
    listed = call('GET', '/v1/stacks', tokens['a']).get_json()['stacks']
    assert [s['name'] for s in listed] == ['only-a']
    assert call('GET', '/v1/stacks', tokens['b']).get_json()['stacks'] == []
    admin_sees = call('GET', '/v1/stacks', admin_token).get_json()['stacks']
    assert {s['name'] for s in admin_sees} == {'both', 'only-a'}
    stack_id, job_id = both['stack']['id'], both['job']['id']
    for method, path, body in [
        ('GET', '/v1/stacks/' + stack_id, None),
        ('GET', '/v1/stacks/%s/events' % stack_id, None),
        (
            'PATCH',
            '/v1/stacks/' + stack_id,
            {'groups': [{'name': 'web', 'count': 1}]},
        ),
        ('DELETE', '/v1/stacks/' + stack_id, None),
    ]:
        kwargs = {'json': body} if body is not None else {}
        _not_found(
            call(method, path, tokens['a'], **kwargs), 'stack_not_found'
        )
    jobs = call('GET', '/v1/jobs', tokens['a']).get_json()['jobs']
    assert [j['id'] for j in jobs] == [only_a['job']['id']]
    _not_found(call('GET', '/v1/jobs/' + job_id, tokens['a']), 'job_not_found')
    _not_found(
        call('POST', '/v1/jobs/%s/cancel' % job_id, tokens['a']),
        'job_not_found',
    )
    assert call('GET', '/v1/jobs/' + job_id, admin_token).status_code == 200


def test_a_marker_naming_a_hidden_stack_matches_nothing(
    call, tokens, admin_token
):
    hidden = _stack(call, admin_token, 'hidden', ['sim-b']).get_json()
    response = call(
        'GET', '/v1/stacks?marker=' + hidden['stack']['id'], tokens['a']
    )
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == 'marker'


def test_pages_of_visible_stacks_are_full(call, tokens, admin_token):
    for index in range(3):
        _stack(call, admin_token, 'b-%d' % index, ['sim-b'])
        _stack(call, admin_token, 'a-%d' % index, ['default'])
    seen, marker = [], None
    while True:
        path = '/v1/stacks?limit=2' + ('&marker=' + marker if marker else '')
        page = call('GET', path, tokens['a']).get_json()
        seen.extend(s['name'] for s in page['stacks'])
        marker = page['next_marker']
        if marker is None:
            break
        assert len(page['stacks']) == 2
    assert seen == ['a-2', 'a-1', 'a-0']


def test_a_stack_on_a_hidden_cloud_names_only_visible_ones(call, tokens):
    response = _stack(call, tokens['a'], 'sneaky', ['sim-b'])
    assert response.status_code == 400
    error = response.get_json()['error']
    assert error['code'] == 'cloud_not_found'
    assert 'dummy' not in error['message']
    assert error['message'].endswith('the farm has: default')
