"""/v1/tokens: create (value shown once), list, show, revoke."""

import pytest

from dispatcher.policy import token_values as values


def _create(client, **body):
    return client.post('/v1/tokens', json=body)


def test_created_token_shows_its_value_once_and_works(client, call):
    response = _create(
        client, role='reader', name='dash', clouds=['default'], expires_in=3600
    )
    assert response.status_code == 201
    token = response.get_json()['token']
    assert values.is_well_formed(token['value'])
    assert token['prefix'] == values.prefix(token['value'])
    assert token['role'] == 'reader' and token['clouds'] == ['default']
    assert token['status'] == 'active' and token['expires_at']
    assert response.headers['Location'].endswith('/v1/tokens/' + token['id'])
    shown = client.get(response.headers['Location'])
    assert shown.status_code == 200
    assert 'value' not in shown.get_json()['token']
    assert token['value'] not in shown.get_data(as_text=True)
    assert call('GET', '/v1/clouds', token['value']).status_code == 200


def test_list_never_holds_values_or_digests(client):
    value = _create(client, role='operator').get_json()['token']['value']
    listed = client.get('/v1/tokens')
    assert listed.status_code == 200
    text = listed.get_data(as_text=True)
    assert value not in text
    assert values.digest(value) not in text
    for token in listed.get_json()['tokens']:
        assert set(token) == {
            'id',
            'name',
            'role',
            'clouds',
            'prefix',
            'status',
            'created_by',
            'created_at',
            'expires_at',
            'revoked_at',
        }


def test_list_filters_by_role_and_status(client):
    first = _create(client, role='reader', name='r1').get_json()['token']
    _create(client, role='reader', name='r2')
    client.delete('/v1/tokens/' + first['id'])
    readers = client.get('/v1/tokens?role=reader').get_json()['tokens']
    assert sorted(t['name'] for t in readers) == ['r1', 'r2']
    revoked = client.get('/v1/tokens?status=revoked').get_json()['tokens']
    assert [t['name'] for t in revoked] == ['r1']
    assert revoked[0]['revoked_at']


def test_revoking_twice_is_harmless_and_unknown_is_404(client):
    token = _create(client, role='reader').get_json()['token']
    assert client.delete('/v1/tokens/' + token['id']).status_code == 204
    assert client.delete('/v1/tokens/' + token['id']).status_code == 204
    missing = client.delete('/v1/tokens/no-such-token')
    assert missing.status_code == 404
    assert missing.get_json()['error']['code'] == 'token_not_found'


@pytest.mark.parametrize(
    'body, field',
    [
        ({}, 'role'),
        ({'role': 'root'}, 'role'),
        ({'role': 'reader', 'clouds': ['no-such-cloud']}, 'clouds'),
        ({'role': 'reader', 'clouds': 'default'}, 'clouds'),
        ({'role': 'reader', 'clouds': ['default', 'default']}, 'clouds'),
        ({'role': 'reader', 'expires_in': 59}, 'expires_in'),
        ({'role': 'reader', 'expires_in': 'soon'}, 'expires_in'),
        ({'role': 'reader', 'name': 'x' * 65}, 'name'),
        ({'role': 'reader', 'name': 'bad name'}, 'name'),
        ({'role': 'reader', 'owner': 'me'}, 'owner'),
    ],
)
def test_bad_bodies_are_400_naming_the_field(client, body, field):
    response = _create(client, **body)
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == field


def test_a_limited_admin_gives_no_more_than_it_has(call, make_token):
    admin_a = make_token('admin', clouds=['default'], name='admin-a')
    make_token('reader', name='everywhere')
    for body in (
        {'role': 'reader'},
        {'role': 'reader', 'clouds': None},
        {'role': 'reader', 'clouds': ['default', 'sim-b']},
    ):
        response = call('POST', '/v1/tokens', admin_a, json=body)
        assert response.status_code == 400, body
        assert response.get_json()['error']['field'] == 'clouds'
        assert 'sim-b' not in response.get_json()['error'][
            'message'
        ] or body.get('clouds')
    made = call(
        'POST',
        '/v1/tokens',
        admin_a,
        json={'role': 'admin', 'clouds': ['default']},
    )
    assert made.status_code == 201
    listed = call('GET', '/v1/tokens', admin_a).get_json()['tokens']
    assert all(t['clouds'] == ['default'] for t in listed)
    everywhere = [
        t
        for t in call('GET', '/v1/tokens', make_token('admin')).get_json()[
            'tokens'
        ]
        if t['name'] == 'everywhere'
    ][0]
    assert (
        call('DELETE', '/v1/tokens/' + everywhere['id'], admin_a).status_code
        == 404
    )
