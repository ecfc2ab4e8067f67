"""Every route states its contract: answer schema, error answers, inputs.

A route added without a declared answer schema or without its error
answers fails here, before it can reach the OpenAPI document half
described.
"""

from tests.support.routes import iter_routes, resolve

#: Routes whose answer is not JSON (the built HTML documentation).
NOT_JSON = {
    'docs_site.docs_index',
    'docs_site.docs_file',
    'openapi.openapi_document',
    'prometheus.prometheus_metrics',
}


def _successes(route):
    return {
        int(status): answer
        for status, answer in route.operation['responses'].items()
        if int(status) < 400
    }


def test_every_route_is_in_the_document(app):
    routes = iter_routes(app)
    assert len(routes) > 30
    for route in routes:
        assert route.operation, route
        assert route.operation['operationId'] == route.endpoint
        assert route.operation['summary'], route


def test_every_route_declares_its_answer_schema(app):
    for route in iter_routes(app):
        successes = _successes(route)
        assert successes, route
        status = min(successes)
        answer = successes[status]
        if status == 204 or route.endpoint in NOT_JSON:
            continue
        schema = answer['content']['application/json']['schema']
        assert schema.get('$ref', '').startswith('#/components/schemas/'), (
            route
        )


def test_every_route_declares_its_error_answers(app):
    for route in iter_routes(app):
        errors = {
            int(s) for s in route.operation['responses'] if int(s) >= 400
        }
        if route.variables:
            assert 404 in errors, route
        if route.query_parameters() or route.reads_json_body():
            assert 400 in errors, route
        if route.reads_json_body():
            assert {413, 415} <= errors, route
        if (
            'cloud_name' in route.variables
            and route.method != 'GET'
            or route.endpoint.startswith(('nodes.', 'catalogue.'))
        ):
            assert {429, 501, 502, 503, 504} <= errors, route


def test_every_read_declares_its_query_parameters(app, client):
    for route in iter_routes(app):
        if route.method == 'GET' and route.endpoint not in NOT_JSON - {
            'openapi.openapi_document'
        }:
            path = route.rule.replace('<cloud_name>', 'default')
            for variable in route.variables:
                path = path.replace('<%s>' % variable, 'x').replace(
                    '<path:%s>' % variable, 'x'
                )
            answer = client.get(path + '?undeclared=1')
            assert answer.status_code == 400, route
            assert answer.get_json()['error']['field'] == 'undeclared'


def test_body_examples_match_their_schemas_and_are_accepted(app, client):
    import jsonschema

    document = client.get('/v1/openapi.json').get_json()
    checked = 0
    for route in iter_routes(app):
        body = route.operation.get('requestBody')
        if not body:
            continue
        media = body['content']['application/json']
        assert 'example' in media, route
        schema = resolve(media['schema'], document)
        jsonschema.validate(
            media['example'], schema, cls=jsonschema.Draft202012Validator
        )
        checked += 1
    assert checked >= 8
    node = client.post(
        '/v1/clouds/default/nodes',
        json=document['paths']['/v1/clouds/{cloud_name}/nodes']['post'][
            'requestBody'
        ]['content']['application/json']['example'],
    )
    assert node.status_code == 201, node.get_json()
