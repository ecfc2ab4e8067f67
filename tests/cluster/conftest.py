"""Fixtures of the scale-out tests: a database on each backend."""

import pytest

from dispatcher import storage
from dispatcher.storage import schema
from tests.storage.backends import database_url  # noqa: F401


@pytest.fixture
def database(database_url):  # noqa: F811
    """A :class:`~dispatcher.storage.Database` with the current schema."""
    opened = storage.Database(database_url)
    schema.prepare(opened)
    yield opened
    opened.dispose()
