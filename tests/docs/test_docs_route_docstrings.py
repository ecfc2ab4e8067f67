"""Every route documents itself, and its examples agree with the code.

A route's docstring is the single source of its HTTP reference and of the
OpenAPI document: these tests make a route without one, or with one that
says something the code does not do, fail the build.
"""

import json
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import pytest
from werkzeug.exceptions import HTTPException

from dispatcher.docs_support import docstrings
from dispatcher.docs_support.routes import iter_routes


def route_id(route):
    return '%s %s' % (route.method, route.rule)


@pytest.fixture
def routes(app):
    return iter_routes(app)


def test_the_app_has_routes_to_document(routes):
    assert len(routes) > 10
    assert {'GET', 'POST', 'DELETE'} <= {r.method for r in routes}


def test_every_route_has_a_docstring(routes):
    missing = [route_id(r) for r in routes if not r.docstring.strip()]
    assert not missing, 'routes without a docstring: %s' % missing


def test_every_route_documents_its_status_codes(routes):
    missing = [route_id(r) for r in routes if not r.doc.statuses()]
    assert not missing, 'routes without ":status <code>:" lines: %s' % missing


def test_status_lines_name_real_status_codes(routes):
    bad = ['%s: :status %s:' % (route_id(r), f.name) for r in routes
           for f in r.doc.of_kind('status')
           if not (f.name.isdigit() and 100 <= int(f.name) <= 599)]
    assert not bad


def test_every_route_documents_a_success(routes):
    bad = [route_id(r) for r in routes
           if not any(s < 400 for s in r.doc.statuses())]
    assert not bad, 'routes documenting no success status: %s' % bad


def test_no_route_uses_the_ambiguous_json_field_names(routes):
    # httpdomain renders ":>json" as the *request* and ":<json" as the
    # answer, the opposite of what most readers expect.
    bad = ['%s: :%s' % (route_id(r), f.field) for r in routes
           for f in r.doc.fields if f.field in docstrings.AMBIGUOUS_FIELDS]
    assert not bad, ('use :reqjson/:resjson and :reqheader/:resheader '
                     'instead of: %s' % bad)


def test_path_variables_and_param_lines_match(routes):
    for route in routes:
        variables = {v.name for v in route.variables}
        documented = {f.name for f in route.doc.of_kind('path')}
        assert variables == documented, (
            '%s: the rule has %s, the docstring documents %s'
            % (route_id(route), sorted(variables), sorted(documented)))


def test_json_field_types_are_json_types(routes):
    bad = []
    for route in routes:
        for field in route.doc.fields:
            if field.kind in ('query', 'path') and field.type is None:
                continue
            if field.type is None:
                continue
            if not set(docstrings.json_types(field.type)) <= set(
                    docstrings.JSON_TYPES):
                bad.append('%s: %s %s' % (route_id(route), field.type,
                                          field.name))
    assert not bad


def test_request_fields_are_the_body_schema_properties(routes):
    for route in routes:
        schema = route.body_schema()
        documented = {f.name for f in route.doc.of_kind('request_json')}
        if schema is None:
            continue
        assert documented == set(schema['properties']), (
            '%s validates its body against a schema with %s but documents '
            '%s' % (route_id(route), sorted(schema['properties']),
                    sorted(documented)))


def test_routes_reading_a_json_body_document_its_failures(routes):
    for route in routes:
        if route.reads_json_body():
            missing = {400, 413, 415} - set(route.doc.statuses())
            assert not missing, '%s reads a JSON body but does not ' \
                'document %s' % (route_id(route), sorted(missing))


def test_every_route_has_an_example_request_and_answer(routes):
    missing = [route_id(r) for r in routes
               if r.doc.example('request') is None
               or r.doc.example('response') is None]
    assert not missing, ('routes without an example request and answer '
                         '(".. sourcecode:: http" blocks): %s' % missing)


def test_example_requests_are_requests_of_their_route(app, routes):
    adapter = app.url_map.bind('localhost')
    for route in routes:
        example = route.doc.example('request')
        if example is None:
            continue
        assert example.method == route.method, route_id(route)
        target = urlsplit(example.target)
        try:
            endpoint, _ = adapter.match(target.path, route.method)
        except HTTPException as exc:
            pytest.fail('%s: the example %s does not match: %s'
                        % (route_id(route), example.target, exc))
        assert endpoint == route.endpoint, (
            '%s: the example %s is served by %s'
            % (route_id(route), example.target, endpoint))
        documented = {f.name for f in route.doc.of_kind('query')}
        used = {name for name, _ in parse_qsl(target.query)}
        assert used <= documented, (
            '%s: the example uses undocumented query parameters %s'
            % (route_id(route), sorted(used - documented)))


def test_example_request_bodies_are_valid(routes):
    for route in routes:
        example = route.doc.example('request')
        schema = route.body_schema()
        if example is None or schema is None:
            continue
        assert isinstance(example.body, dict), (
            '%s: the example request has no JSON body' % route_id(route))
        jsonschema.validate(example.body, schema)


def test_example_answers_match_the_documented_fields(routes):
    for route in routes:
        for example in route.doc.examples:
            if example.kind != 'response':
                continue
            assert example.status in route.doc.statuses(), (
                '%s: the example answer is %s, an undocumented status'
                % (route_id(route), example.status))
            fields = route.doc.of_kind('response_json')
            if not fields or example.status >= 300:
                continue
            assert isinstance(example.body, dict), (
                '%s: the example answer is not valid JSON: %r'
                % (route_id(route), example.body))
            assert set(example.body) == {f.name for f in fields}, (
                '%s: the example answer has %s, the docstring documents %s'
                % (route_id(route), sorted(example.body),
                   sorted(f.name for f in fields)))


def test_example_headers_are_documented(routes):
    for route in routes:
        documented = {f.name.lower() for f in
                      route.doc.of_kind('response_header')}
        for example in route.doc.examples:
            if example.kind != 'response':
                continue
            used = {h.lower() for h in example.headers} - {'content-type'}
            assert used <= documented, (
                '%s: the example answer sends undocumented headers %s'
                % (route_id(route), sorted(used - documented)))


def test_parser_reads_fields_examples_and_prose():
    doc = docstrings.parse('''Create a thing.

    More about it.

    **Example request**:

    .. sourcecode:: http

        POST /v1/things?dry=1 HTTP/1.1
        Content-Type: application/json

        {"name": "a"}

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 201 Created
        Location: /v1/things/a

        {"thing": {"name": "a"}}

    :param cloud_name: the farm name.
    :query integer limit: page size,
        at most 1000.
    :reqjson string name: its name.
    :resjson object thing: the thing.
    :resjson string|null next_marker: or null.
    :resheader Location: its URL.
    :status 201: created.
    :status 400: bad.
    ''')
    assert doc.summary == 'Create a thing.'
    assert doc.description == 'Create a thing.\n\nMore about it.'
    assert [(f.kind, f.type, f.name) for f in doc.fields[:3]] == [
        ('path', None, 'cloud_name'), ('query', 'integer', 'limit'),
        ('request_json', 'string', 'name')]
    assert doc.of_kind('query')[0].description == 'page size, at most 1000.'
    assert docstrings.json_types(doc.of_kind('response_json')[1].type) == [
        'string', 'null']
    assert list(doc.statuses().items()) == [(201, 'created.'),
                                            (400, 'bad.')]
    request, answer = doc.examples
    assert (request.kind, request.method, request.target, request.body) == (
        'request', 'POST', '/v1/things?dry=1', {'name': 'a'})
    assert (answer.kind, answer.status, answer.headers['Location'],
            answer.body) == ('response', 201, '/v1/things/a',
                             {'thing': {'name': 'a'}})
    assert json.loads(json.dumps(answer.body)) == answer.body
