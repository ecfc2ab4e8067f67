"""Role x route: what each role may do on every route of the app.

The table below is the access policy, route by route.  A route of
``app.url_map`` missing from it fails :func:`test_every_route_is_in_the_
table`, so a new route cannot ship without a decision about who may call
it.  Each row holds the permission needed, a concrete request, and the
status the request gets once it is allowed.
"""

import pytest

from tests.support.routes import iter_routes

PUBLIC, READ, OPERATE, ADMIN = 'public', 'read', 'operate', 'admin'

#: The roles that hold each permission.
HOLDERS = {
    PUBLIC: {None, 'reader', 'operator', 'admin'},
    READ: {'reader', 'operator', 'admin'},
    OPERATE: {'operator', 'admin'},
    ADMIN: {'admin'},
}

C = '/v1/clouds/default'

#: (method, rule) -> (permission, path, JSON body, status once allowed).
POLICY = {
    ('GET', '/'): (PUBLIC, '/', None, (200,)),
    ('GET', '/healthz'): (PUBLIC, '/healthz', None, (200,)),
    ('GET', '/v1/openapi.json'): (PUBLIC, '/v1/openapi.json', None, (200,)),
    # 200 when the documentation is built, else 404 docs_not_built.
    ('GET', '/docs/'): (PUBLIC, '/docs/', None, (200, 404)),
    ('GET', '/docs/<path:filename>'): (
        PUBLIC,
        '/docs/none.html',
        None,
        (404,),
    ),
    ('GET', '/v1'): (READ, '/v1', None, (200,)),
    ('GET', '/v1/providers'): (READ, '/v1/providers', None, (200,)),
    ('GET', '/metrics'): (READ, '/metrics', None, (200,)),
    ('GET', '/v1/providers/<label>'): (
        READ,
        '/v1/providers/simulator',
        None,
        (200,),
    ),
    ('GET', '/v1/clouds'): (READ, '/v1/clouds', None, (200,)),
    ('GET', '/v1/clouds/<cloud_name>'): (READ, C, None, (200,)),
    ('GET', '/v1/clouds/<cloud_name>/images'): (
        READ,
        C + '/images',
        None,
        (200,),
    ),
    ('GET', '/v1/clouds/<cloud_name>/sizes'): (
        READ,
        C + '/sizes',
        None,
        (200,),
    ),
    ('GET', '/v1/clouds/<cloud_name>/locations'): (
        READ,
        C + '/locations',
        None,
        (200,),
    ),
    ('GET', '/v1/clouds/<cloud_name>/nodes'): (
        READ,
        C + '/nodes',
        None,
        (200,),
    ),
    ('GET', '/v1/clouds/<cloud_name>/nodes/<node_id>'): (
        READ,
        C + '/nodes/n-0',
        None,
        (404,),
    ),
    ('GET', '/v1/clouds/<cloud_name>/key_pairs'): (
        READ,
        C + '/key_pairs',
        None,
        (200,),
    ),
    ('GET', '/v1/clouds/<cloud_name>/key_pairs/<name>'): (
        READ,
        C + '/key_pairs/none',
        None,
        (404,),
    ),
    ('GET', '/v1/clouds/<cloud_name>/volumes'): (
        READ,
        C + '/volumes',
        None,
        (200,),
    ),
    ('GET', '/v1/clouds/<cloud_name>/volumes/<volume_id>'): (
        READ,
        C + '/volumes/v-0',
        None,
        (404,),
    ),
    ('GET', '/v1/nodes'): (READ, '/v1/nodes', None, (200,)),
    ('GET', '/v1/jobs'): (READ, '/v1/jobs', None, (200,)),
    ('GET', '/v1/jobs/<job_id>'): (READ, '/v1/jobs/j-0', None, (404,)),
    ('GET', '/v1/jobs/<job_id>/steps'): (
        READ,
        '/v1/jobs/j-0/steps',
        None,
        (404,),
    ),
    ('GET', '/v1/stacks'): (READ, '/v1/stacks', None, (200,)),
    ('GET', '/v1/stacks/<stack_id>'): (READ, '/v1/stacks/s-0', None, (404,)),
    ('GET', '/v1/stacks/<stack_id>/events'): (
        READ,
        '/v1/stacks/s-0/events',
        None,
        (404,),
    ),
    ('POST', '/v1/clouds/<cloud_name>/nodes'): (
        OPERATE,
        C + '/nodes',
        {},
        (400,),
    ),
    ('POST', '/v1/clouds/<cloud_name>/nodes/<node_id>/action'): (
        OPERATE,
        C + '/nodes/n-0/action',
        {'action': 'reboot'},
        (404,),
    ),
    ('DELETE', '/v1/clouds/<cloud_name>/nodes/<node_id>'): (
        OPERATE,
        C + '/nodes/n-0',
        None,
        (404,),
    ),
    ('POST', '/v1/clouds/<cloud_name>/key_pairs'): (
        OPERATE,
        C + '/key_pairs',
        {},
        (400,),
    ),
    ('DELETE', '/v1/clouds/<cloud_name>/key_pairs/<name>'): (
        OPERATE,
        C + '/key_pairs/none',
        None,
        (404,),
    ),
    ('POST', '/v1/clouds/<cloud_name>/volumes'): (
        OPERATE,
        C + '/volumes',
        {},
        (400,),
    ),
    ('DELETE', '/v1/clouds/<cloud_name>/volumes/<volume_id>'): (
        OPERATE,
        C + '/volumes/v-0',
        None,
        (404,),
    ),
    ('POST', '/v1/clouds/<cloud_name>/volumes/<volume_id>/attach'): (
        OPERATE,
        C + '/volumes/v-0/attach',
        {'node_id': 'n-0'},
        (404,),
    ),
    ('POST', '/v1/clouds/<cloud_name>/volumes/<volume_id>/detach'): (
        OPERATE,
        C + '/volumes/v-0/detach',
        None,
        (404,),
    ),
    ('POST', '/v1/jobs/<job_id>/cancel'): (
        OPERATE,
        '/v1/jobs/j-0/cancel',
        None,
        (404,),
    ),
    ('POST', '/v1/stacks'): (OPERATE, '/v1/stacks', {}, (400,)),
    ('PATCH', '/v1/stacks/<stack_id>'): (
        OPERATE,
        '/v1/stacks/s-0',
        {'groups': [{'name': 'web', 'count': 1}]},
        (404,),
    ),
    ('DELETE', '/v1/stacks/<stack_id>'): (
        OPERATE,
        '/v1/stacks/s-0',
        None,
        (404,),
    ),
    ('GET', '/v1/tokens'): (ADMIN, '/v1/tokens', None, (200,)),
    ('POST', '/v1/tokens'): (ADMIN, '/v1/tokens', {}, (400,)),
    ('GET', '/v1/tokens/<token_id>'): (ADMIN, '/v1/tokens/t-0', None, (404,)),
    ('DELETE', '/v1/tokens/<token_id>'): (
        ADMIN,
        '/v1/tokens/t-0',
        None,
        (404,),
    ),
    ('GET', '/v1/events'): (ADMIN, '/v1/events', None, (200,)),
}

ROLES = (None, 'reader', 'operator', 'admin')


def test_every_route_is_in_the_table(app):
    routes = {(r.method, r.rule) for r in iter_routes(app)}
    assert sorted(routes - set(POLICY)) == [], (
        'routes with no access policy: add them to POLICY'
    )
    assert sorted(set(POLICY) - routes) == [], 'POLICY names no route'


def _expected(permission, role, allowed_statuses):
    if role in HOLDERS[permission]:
        return allowed_statuses
    return (401,) if role is None else (403,)


@pytest.mark.parametrize('route', sorted(POLICY), ids=' '.join)
def test_each_role_on_route(call, make_token, route):
    permission, path, body, allowed = POLICY[route]
    for role in ROLES:
        token = make_token(role) if role else None
        response = call(
            route[0],
            path,
            token,
            **({'json': body} if body is not None else {}),
        )
        response.close()
        expected = _expected(permission, role, allowed)
        assert response.status_code in expected, (
            role,
            response.get_data(as_text=True),
        )
        if response.status_code == 403:
            error = response.get_json()['error']
            assert error['code'] == 'forbidden'
            assert role in error['message']


def test_head_is_a_read_and_options_needs_a_token(call, make_token):
    reader = make_token('reader')
    assert call('HEAD', '/v1/clouds', reader).status_code == 200
    assert call('OPTIONS', '/v1/clouds').status_code == 401
    options = call('OPTIONS', '/v1/clouds', reader)
    assert options.status_code == 204
    assert 'GET' in options.headers['Allow']
