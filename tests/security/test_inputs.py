"""Input safety on every route: query parameters, URL values, bodies."""

import re

import pytest

from dispatcher.policy import roles
from tests.support.routes import iter_routes


def _concrete(rule):
    """A path of ``rule`` with every variable filled in."""
    return re.sub(
        r'<(?:[^:>]+:)?([^>]+)>',
        lambda m: 'default' if m.group(1) == 'cloud_name' else 'x-1',
        rule,
    )


def _api_routes(app, method=None):
    return [
        r
        for r in iter_routes(app)
        if not roles.is_public(r.endpoint)
        and (method is None or r.method == method)
    ]


def test_unknown_query_parameters_are_400_naming_them(app, client):
    routes = _api_routes(app, 'GET')
    assert len(routes) > 20
    for route in routes:
        response = client.get(_concrete(route.rule) + '?colour=red&sise=2')
        assert response.status_code == 400, route
        error = response.get_json()['error']
        assert error['code'] == 'unknown_parameter'
        assert error['field'] == 'colour, sise'
        documented = route.query_parameters()
        assert all(name in error['message'] for name in documented)


@pytest.mark.parametrize(
    'query',
    ['limit=5', 'name=web-1&state=running', 'marker=', 'cloud=default'],
)
def test_documented_query_parameters_are_accepted(client, query):
    assert client.get('/v1/nodes?' + query).status_code == 200


def test_an_overlong_parameter_name_is_cut_in_the_answer(client):
    response = client.get('/v1/clouds?' + 'p' * 5000 + '=1')
    assert response.status_code == 400
    assert len(response.get_data()) < 1000


def test_path_values_are_bounded(client):
    response = client.get('/v1/clouds/default/nodes/' + 'n' * 256)
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == 'node_id'
    assert (
        client.get('/v1/clouds/default/nodes/' + 'n' * 255).status_code == 404
    )


def test_query_values_are_bounded(client):
    response = client.get('/v1/clouds?name=' + 'n' * 1025)
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == 'name'


def _body_schemas(app):
    """``(operation, schema)`` of every request body the API declares,
    with the component schemas it refers to resolved."""
    found = []
    for route in iter_routes(app):
        body = route.operation.get('requestBody')
        if body:
            schema = body['content']['application/json']['schema']
            found.append((route.endpoint, schema))
    assert len(found) >= 8
    return found


def _resolved(schema, components):
    if '$ref' in schema:
        return components[schema['$ref'].rpartition('/')[2]]
    return schema


def _unbounded(schema, where, components):
    schema = _resolved(schema, components)
    problems = []
    types = schema.get('type')
    types = types if isinstance(types, list) else [types]
    if (
        'string' in types
        and 'maxLength' not in schema
        and 'enum' not in schema
    ):
        problems.append(where)
    if 'array' in types and 'maxItems' not in schema:
        problems.append(where)
    for name, sub in (schema.get('properties') or {}).items():
        problems.extend(_unbounded(sub, '%s.%s' % (where, name), components))
    if isinstance(schema.get('items'), dict):
        problems.extend(_unbounded(schema['items'], where + '[]', components))
    return problems


def test_every_string_and_list_of_a_body_is_bounded(app, client):
    components = client.get('/v1/openapi.json').get_json()['components'][
        'schemas'
    ]
    for endpoint, schema in _body_schemas(app):
        assert _unbounded(schema, endpoint, components) == []


@pytest.mark.parametrize(
    'path, body',
    [
        (
            '/v1/clouds/default/nodes',
            {'size': 'small', 'image': 'img-ubuntu-24.04'},
        ),
        ('/v1/clouds/default/key_pairs', {}),
        ('/v1/clouds/default/volumes', {'size': 1}),
        ('/v1/tokens', {'role': 'reader'}),
        (
            '/v1/stacks',
            {
                'groups': [
                    {
                        'name': 'web',
                        'cloud': 'default',
                        'size': 'small',
                        'image': 'img-ubuntu-24.04',
                        'count': 1,
                    }
                ]
            },
        ),
    ],
)
def test_names_are_validated_on_every_creation(client, path, body):
    for name in (
        'bad name',
        '-leading-dash',
        'x' * 65,
        'semi;colon',
        '../etc',
        '',
    ):
        response = client.post(path, json=dict(body, name=name))
        assert response.status_code == 400, name
        assert response.get_json()['error']['field'] == 'name', name


def test_every_route_reading_a_body_refuses_non_json_and_huge_ones(
    app, client
):
    routes = [r for r in _api_routes(app) if r.reads_json_body()]
    assert len(routes) >= 8
    limit = app.config['MAX_CONTENT_LENGTH']
    for route in routes:
        path = _concrete(route.rule)
        as_text = client.open(
            path, method=route.method, data='name=x', content_type='text/plain'
        )
        assert as_text.status_code == 415, route
        huge = client.open(
            path,
            method=route.method,
            data='{"name": "%s"}' % ('x' * limit),
            content_type='application/json',
        )
        assert huge.status_code == 413, route
        for answer in (as_text, huge):
            assert set(answer.get_json()['error']) >= {
                'status',
                'code',
                'message',
            }
