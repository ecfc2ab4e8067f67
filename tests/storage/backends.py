"""The databases the storage and orchestration tests run on.

Every test that takes ``database_url`` runs twice: on a SQLite file in its
temporary folder, and on this machine's PostgreSQL (``MW_TEST_POSTGRES_URL``,
default ``postgresql://postgres@127.0.0.1:5432/test``) in a schema of its
own, dropped afterwards.  Where no PostgreSQL answers, those runs are
skipped saying so, except under CI (``CI=true``), where that is a failure.
"""

import os
import urllib.parse
import uuid

import pytest

POSTGRES_URL = os.environ.get(
    'MW_TEST_POSTGRES_URL', 'postgresql://postgres@127.0.0.1:5432/test'
)

_probe = {}


def _conninfo(url):
    parsed = urllib.parse.urlsplit(url)
    return {
        'host': parsed.hostname or '127.0.0.1',
        'port': parsed.port or 5432,
        'user': urllib.parse.unquote(parsed.username or 'postgres'),
        'password': urllib.parse.unquote(parsed.password or '') or None,
        'dbname': parsed.path.lstrip('/') or 'postgres',
        'connect_timeout': 3,
    }


def postgres_problem():
    """Why PostgreSQL cannot be used (``None`` when it can)."""
    if 'problem' not in _probe:
        try:
            import psycopg

            with psycopg.connect(**_conninfo(POSTGRES_URL)):
                pass
            _probe['problem'] = None
        except Exception as exc:  # missing driver or no server
            _probe['problem'] = '%s: %s' % (type(exc).__name__, exc)
    return _probe['problem']


def _execute(statement):
    import psycopg

    with psycopg.connect(
        autocommit=True, **_conninfo(POSTGRES_URL)
    ) as connection:
        connection.execute(statement)


def postgres_schema_url():
    """``(url, schema)``: a new, empty schema of the test PostgreSQL."""
    problem = postgres_problem()
    if problem:
        message = 'no PostgreSQL answers at %s (%s)' % (POSTGRES_URL, problem)
        if os.environ.get('CI', '').lower() == 'true':
            pytest.fail(
                message + '; CI must have one (.ci/steps/'
                '40-databases.sh starts it)'
            )
        pytest.skip(message)
    schema = 'mw_test_%s' % uuid.uuid4().hex[:12]
    _execute('CREATE SCHEMA %s' % schema)
    separator = '&' if '?' in POSTGRES_URL else '?'
    return (
        '%s%soptions=-csearch_path%%3D%s' % (POSTGRES_URL, separator, schema),
        schema,
    )


def drop_schema(schema):
    _execute('DROP SCHEMA IF EXISTS %s CASCADE' % schema)


@pytest.fixture(params=['sqlite', 'postgresql'])
def database_url(request, tmp_path):
    """A URL of an empty database: SQLite, then PostgreSQL."""
    if request.param == 'sqlite':
        yield 'sqlite:///%s' % (tmp_path / 'state' / 'mw.sqlite')
        return
    url, schema = postgres_schema_url()
    try:
        yield url
    finally:
        drop_schema(schema)


@pytest.fixture
def database(database_url):  # noqa: F811
    """A :class:`~dispatcher.storage.Database` with the current schema,
    on each backend."""
    from dispatcher import storage
    from dispatcher.storage import schema

    opened = storage.Database(database_url)
    schema.prepare(opened)
    yield opened
    opened.dispose()
