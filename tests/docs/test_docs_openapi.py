"""``GET /v1/openapi.json``: valid, complete, and true of the answers.

The document is generated from the schemas the routes declare; these
tests check it is a valid OpenAPI 3.1 document, that it describes every
route of the app, and that real answers of the app (a session over every
resource, failures included) match what it says.
"""

import jsonschema
import pytest

from dispatcher.api.schemas.compute import NodeCreate
from tests.support.routes import iter_routes, resolve


@pytest.fixture
def document(client):
    response = client.get('/v1/openapi.json')
    assert response.status_code == 200
    return response.get_json()


class Conformance(object):
    """Sends requests and checks each answer against the document."""

    def __init__(self, app, client, document):
        self.client = client
        self.document = document
        self.adapter = app.url_map.bind('localhost')
        self.routes = {(r.rule, r.method): r for r in iter_routes(app)}
        self.checked = set()

    def operation(self, method, path):
        rule, _ = self.adapter.match(
            path.partition('?')[0], method, return_rule=True
        )
        route = self.routes[(rule.rule, method)]
        self.checked.add((route.openapi_path, method))
        return self.document['paths'][route.openapi_path][method.lower()]

    def __call__(self, method, path, expect=None, **kwargs):
        response = self.client.open(path, method=method, **kwargs)
        operation = self.operation(method, path)
        status = str(response.status_code)
        assert status in operation['responses'], (
            '%s %s answered %s, undocumented (documented: %s): %s'
            % (
                method,
                path,
                status,
                sorted(operation['responses']),
                response.get_data(as_text=True)[:300],
            )
        )
        if expect is not None:
            assert response.status_code == expect, response.get_data(
                as_text=True
            )
        documented = resolve(operation['responses'][status], self.document)
        content = documented.get('content')
        if not content:
            assert response.get_data() == b''
        elif 'application/json' in content:
            assert response.mimetype == 'application/json'
            jsonschema.validate(
                response.get_json(),
                content['application/json']['schema'],
                cls=jsonschema.Draft202012Validator,
            )
        for name in documented.get('headers', {}):
            if name not in ('Retry-After',):
                assert name in response.headers, (method, path, name)
        return response


@pytest.fixture
def api(app, client, document):
    return Conformance(app, client, document)


def test_document_is_valid_openapi(document, require):
    validator = require('openapi_spec_validator')
    validator.validate(document)
    assert document['openapi'].startswith('3.1')


def test_document_describes_every_route_and_nothing_else(app, document):
    routes = {(r.openapi_path, r.method.lower()) for r in iter_routes(app)}
    described = {
        (path, method)
        for path, item in document['paths'].items()
        for method in item
        if method != 'parameters'
    }
    assert described == routes


def test_every_rule_of_the_url_map_is_described(app, document):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == 'static':
            continue
        operations = [
            op
            for item in document['paths'].values()
            for op in item.values()
            if isinstance(op, dict) and op['operationId'] == rule.endpoint
        ]
        assert operations, rule.rule


def test_every_failure_refers_to_the_one_error_schema(document):
    error = document['components']['schemas']['Error']
    assert error['required'] == ['error']
    detail = resolve(error['properties']['error'], document)
    assert set(detail['required']) == {'status', 'code', 'message'}
    for path, item in document['paths'].items():
        for method, operation in item.items():
            if method == 'parameters':
                continue
            for status, response in operation['responses'].items():
                if int(status) >= 400:
                    if '$ref' in response:
                        response = document['components']['responses'][
                            response['$ref'].rpartition('/')[2]
                        ]
                    schema = response['content']['application/json']['schema']
                    assert schema == {'$ref': '#/components/schemas/Error'}, (
                        method,
                        path,
                        status,
                    )


def test_request_bodies_are_the_schemas_the_routes_validate_with(
    app, document
):
    body = resolve(
        document['paths']['/v1/clouds/{cloud_name}/nodes']['post'][
            'requestBody'
        ]['content']['application/json']['schema'],
        document,
    )
    declared = NodeCreate().fields
    assert set(body['required']) == {
        name for name, field in declared.items() if field.required
    }
    assert set(body['properties']) == set(declared)
    assert body['additionalProperties'] is False


def test_limit_is_bounded_by_the_page_settings(app, document):
    parameters = document['paths']['/v1/clouds']['get']['parameters']
    limit = next(p for p in parameters if p['name'] == 'limit')
    assert limit['schema']['maximum'] == app.config['MAX_PAGE_SIZE']
    assert limit['schema']['minimum'] == 1


def test_created_resources_link_to_their_operations(document):
    links = document['paths']['/v1/clouds/{cloud_name}/nodes']['post'][
        'responses'
    ]['201']['links']
    targets = {link['operationId'] for link in links.values()}
    assert {
        'nodes.show_node',
        'nodes.destroy_node',
        'nodes.act_on_node',
    } <= targets
    link = links['nodes_show_node_get']
    assert link['parameters']['node_id'] == '$response.body#/node/id'
    assert link['parameters']['cloud_name'] == '$request.path.cloud_name'


def test_document_is_served_without_a_token(app):
    response = app.test_client().get('/v1/openapi.json')
    assert response.status_code == 200


def test_answers_of_a_session_match_the_document(api):
    api('GET', '/', 200)
    api('GET', '/v1', 200)
    api('GET', '/healthz', 200)
    api('GET', '/v1/providers?limit=3', 200)
    api('GET', '/v1/clouds', 200)
    api('GET', '/v1/clouds/default?check=true', 200)
    for kind in ('images', 'sizes', 'locations'):
        api('GET', '/v1/clouds/default/%s?limit=1' % kind, 200)
    node = api(
        'POST',
        '/v1/clouds/default/nodes',
        201,
        json={'name': 'doc-1', 'size': 'small', 'image': 'img-ubuntu-24.04'},
    ).get_json()['node']
    url = '/v1/clouds/default/nodes/%s' % node['id']
    api('GET', url, 200)
    api('GET', '/v1/clouds/default/nodes?state=pending', 200)
    api('GET', '/v1/nodes', 200)
    api('POST', url + '/action', json={'action': 'start'})
    key = api(
        'POST', '/v1/clouds/default/key_pairs', 201, json={'name': 'doc-key'}
    ).get_json()['key_pair']
    api('GET', '/v1/clouds/default/key_pairs/' + key['name'], 200)
    api('GET', '/v1/clouds/default/key_pairs', 200)
    api('DELETE', '/v1/clouds/default/key_pairs/' + key['name'], 204)
    volume = api(
        'POST',
        '/v1/clouds/default/volumes',
        201,
        json={'name': 'doc-vol', 'size': 1},
    ).get_json()['volume']
    volume_url = '/v1/clouds/default/volumes/' + volume['id']
    api('POST', volume_url + '/attach', 202, json={'node_id': node['id']})
    api('GET', volume_url, 200)
    api('POST', volume_url + '/detach', 202)
    api('DELETE', volume_url, 204)
    api('GET', '/v1/clouds/default/volumes', 200)
    api('DELETE', url, 202)
    api('GET', '/v1/jobs', 200)
    api('GET', '/v1/stacks', 200)


@pytest.mark.parametrize(
    'method, path, kwargs, status',
    [
        ('GET', '/v1/clouds/nowhere/nodes', {}, 404),
        ('GET', '/v1/clouds/default/nodes/no-such-node', {}, 404),
        ('GET', '/v1/clouds?limit=0', {}, 400),
        ('GET', '/v1/clouds/default/sizes?marker=nothing', {}, 400),
        ('POST', '/v1/clouds/default/nodes', {'json': {'name': 'x'}}, 400),
        ('POST', '/v1/clouds/default/nodes', {'data': 'name=x'}, 415),
        (
            'POST',
            '/v1/clouds/default/nodes/x/action',
            {'json': {'action': 'explode'}},
            400,
        ),
        ('POST', '/v1/clouds/default/volumes', {'json': {'name': 'v'}}, 400),
        ('DELETE', '/v1/clouds/default/key_pairs/nothing', {}, 404),
        ('GET', '/v1/jobs/no-such-job', {}, 404),
    ],
)
def test_failures_match_the_document(api, method, path, kwargs, status):
    response = api(method, path, status, **kwargs)
    error = response.get_json()['error']
    assert error['status'] == status
    assert error['request_id'] == response.headers['X-Request-Id']
