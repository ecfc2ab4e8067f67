"""Fixtures of the inventory tests."""

from tests.storage.backends import database_url  # noqa: F401
