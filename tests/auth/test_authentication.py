"""X-Auth-Token: who may call at all, and what a refusal says."""

import datetime

import pytest
from sqlalchemy import update

from dispatcher import storage
from dispatcher.policy import token_values as tokens
from dispatcher.storage.auth_models import ApiToken
from dispatcher.storage.types import utcnow


def _assert_unauthorized(response, message=None):
    assert response.status_code == 401
    error = response.get_json()['error']
    assert error['status'] == 401
    assert error['code'] == 'unauthorized'
    assert error['request_id'] == response.headers['X-Request-Id']
    assert set(error) == {'status', 'code', 'message', 'request_id'}
    if message:
        assert message in error['message']
    return error


@pytest.mark.parametrize(
    'path',
    [
        '/v1',
        '/v1/clouds',
        '/v1/nodes',
        '/v1/clouds/default/nodes',
        '/v1/jobs',
        '/v1/stacks',
        '/v1/tokens',
        '/v1/events',
    ],
)
def test_no_token_is_401(call, path):
    _assert_unauthorized(call('GET', path), 'X-Auth-Token')


@pytest.mark.parametrize(
    'value',
    [
        'nonsense',
        'mwt_',
        tokens.generate(),
        tokens.generate()[:-1],
    ],
    # Named by kind, not value: every run generates its own tokens.
    ids=['nonsense', 'prefix-only', 'well-formed', 'one-short'],
)
def test_unknown_token_is_401(call, value):
    _assert_unauthorized(call('GET', '/v1/clouds', value), 'not valid')


@pytest.mark.parametrize(
    'method, path',
    [
        ('GET', '/v1/no-such-collection'),
        ('GET', '/v1/clouds/no-such-cloud'),
        ('GET', '/v1/clouds/no-such-cloud/nodes/n-1'),
        ('DELETE', '/v1/clouds/default/nodes/no-such-node'),
        ('GET', '/v1/jobs/no-such-job'),
        ('PUT', '/v1/clouds'),
        ('POST', '/healthz/nothing-here'),
    ],
)
def test_401_comes_before_any_404_or_405(call, method, path):
    error = _assert_unauthorized(call(method, path))
    assert 'no-such' not in error['message']


@pytest.mark.parametrize('path', ['/', '/healthz', '/v1/openapi.json'])
def test_public_routes_need_no_token(call, path):
    assert call('GET', path).status_code == 200


def test_documentation_needs_no_token(call):
    # 200 when built, else 404 saying how to build it; never 401.
    response = call('GET', '/docs/')
    response.close()
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert response.get_json()['error']['code'] == 'docs_not_built'


def test_a_valid_token_is_accepted_with_surrounding_blanks(call, make_token):
    token = make_token('reader')
    assert call('GET', '/v1/clouds', ' %s ' % token).status_code == 200


@pytest.mark.parametrize('where', ['query', 'authorization'])
def test_the_token_is_read_from_x_auth_token_only(call, make_token, where):
    token = make_token('admin')
    if where == 'query':
        response = call('GET', '/v1/clouds?token=%s' % token)
    else:
        response = call(
            'GET', '/v1/clouds', headers={'Authorization': 'Bearer ' + token}
        )
    _assert_unauthorized(response)


def test_a_revoked_token_is_refused_at_once(call, make_token, admin_token):
    token = make_token('operator', name='short-lived')
    assert call('GET', '/v1/clouds', token).status_code == 200
    listed = call('GET', '/v1/tokens?name=short-lived', admin_token)
    token_id = listed.get_json()['tokens'][0]['id']
    assert (
        call('DELETE', '/v1/tokens/' + token_id, admin_token).status_code
        == 204
    )
    _assert_unauthorized(call('GET', '/v1/clouds', token), 'revoked')


def test_an_expired_token_is_refused(app, call, make_token):
    token = make_token('reader', expires_in=3600, name='expiring')
    assert call('GET', '/v1/clouds', token).status_code == 200
    with storage.database(app).session(write=True) as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.name == 'expiring')
            .values(expires_at=utcnow() - datetime.timedelta(seconds=1))
        )
    _assert_unauthorized(call('GET', '/v1/clouds', token), 'expired')


def test_a_token_expiring_later_still_works(call, make_token):
    token = make_token('reader', expires_in=3600)
    assert call('GET', '/v1/clouds', token).status_code == 200


def test_the_database_holds_digests_not_values(app, make_token):
    token = make_token('admin', name='stored')
    with storage.database(app).session() as session:
        row = session.query(ApiToken).filter_by(name='stored').one()
        assert row.digest == tokens.digest(token)
        assert row.prefix == tokens.prefix(token)
        columns = [getattr(row, c.key) for c in ApiToken.__table__.columns]
    assert token not in [str(value) for value in columns]
