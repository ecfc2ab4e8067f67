"""Alembic migrations of the service's database (``mw db upgrade``).

Each file of ``versions/`` is one revision, numbered in order.  A new
revision is written by hand next to the last one: its ``down_revision`` is
the last one's ``revision``, and it changes the schema with ``op`` calls so
that :mod:`dispatcher.storage.models` describes the result (a test compares
the two on SQLite and PostgreSQL).
"""
