"""Tokens of each role for the access-control tests."""

import pytest

from dispatcher import storage
from dispatcher.services import tokens

# An empty database with the schema, on SQLite and on PostgreSQL.
from tests.storage.backends import database, database_url  # noqa: F401


@pytest.fixture
def make_token(app):
    """``make_token(role, clouds=None, **options)``: a new token's value."""

    def make(role, clouds=None, **options):
        return tokens.create_token(
            storage.database(app), role, clouds=clouds, **options
        )[1]

    return make


@pytest.fixture
def call(app):
    """``call(method, path, token=None, **kwargs)``: a request sending
    exactly ``token`` (none when ``None``)."""
    test_client = app.test_client()

    def request(method, path, token=None, **kwargs):
        headers = dict(kwargs.pop('headers', {}))
        if token is not None:
            headers['X-Auth-Token'] = token
        return test_client.open(path, method=method, headers=headers, **kwargs)

    return request
