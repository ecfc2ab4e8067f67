"""Fixtures of the scale-out tests: a database on each backend."""

# An empty database with the schema, on SQLite and on PostgreSQL.
from tests.storage.backends import database, database_url  # noqa: F401
