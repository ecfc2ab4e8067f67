"""A query string is parsed once per schema and string: the many reads of
one page cost one ``Schema.load``; each caller gets its own copy; a query
that fails is refused every time."""

import pytest
from flask import Flask
from marshmallow import Schema, fields, post_load, validate

from dispatcher import errors
from dispatcher.api.framework import RequestParser


class CountedQuery(Schema):
    """A query schema that counts its loads."""

    loads = 0

    limit = fields.Integer(validate=validate.Range(min=1, max=10))
    cloud = fields.List(fields.String())

    @post_load
    def count(self, data, **kwargs):
        type(self).loads += 1
        return data


@pytest.fixture
def parse():
    app = Flask(__name__)
    parser = RequestParser()
    schema = CountedQuery()
    CountedQuery.loads = 0

    def parse(query_string):
        with app.test_request_context('/?' + query_string):
            return parser.parse(schema, location='query', unknown=None)

    return parse


def test_one_query_string_is_loaded_once(parse):
    first = parse('limit=5&cloud=a&cloud=b')
    again = parse('limit=5&cloud=a&cloud=b')
    assert first == again == {'limit': 5, 'cloud': ['a', 'b']}
    assert CountedQuery.loads == 1
    parse('limit=6')
    assert CountedQuery.loads == 2


def test_each_caller_gets_its_own_copy(parse):
    first = parse('limit=5&cloud=a')
    first['limit'] = 9
    first['cloud'].append('changed')
    assert parse('limit=5&cloud=a') == {'limit': 5, 'cloud': ['a']}


def test_a_bad_query_is_refused_every_time(parse):
    for _ in range(2):
        with pytest.raises(errors.BadRequest) as raised:
            parse('limit=50')
        assert raised.value.field == 'limit'
    with pytest.raises(errors.BadRequest) as raised:
        parse('nope=1')
    assert raised.value.field == 'nope'
