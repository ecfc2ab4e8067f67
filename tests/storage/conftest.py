"""Fixtures of the storage tests: an empty database on each backend."""

import pytest

from dispatcher import storage
from tests.storage.backends import database_url  # noqa: F401


@pytest.fixture
def database(database_url):  # noqa: F811
    """A :class:`~dispatcher.storage.Database` on an empty database."""
    opened = storage.Database(database_url)
    yield opened
    opened.dispose()
