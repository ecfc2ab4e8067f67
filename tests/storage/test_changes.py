"""The database's change version, and the caches it keeps exact: a token
revoked, or a node made, by another process is seen by the very next
request; while nothing changes, the hot reads cost no query."""

import contextlib
import subprocess
import sys
import time

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from dispatcher import close_app, create_app, storage
from dispatcher.services import tokens
from dispatcher.storage import inventory as inventory_store
from dispatcher.storage.changes import ChangeProbe, VersionedCache, probe_for

#: Run in another process: commit one change to the SQLite file argv[1].
WRITER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute('CREATE TABLE IF NOT EXISTS marks (at REAL)')
connection.execute('INSERT INTO marks VALUES (1)')
connection.commit()
connection.close()
"""

#: Run in another process: revoke token argv[2] of the database argv[1].
REVOKER = """
import sys
from dispatcher.services import tokens
from dispatcher.storage import Database
database = Database(sys.argv[1])
tokens.revoke_token(database, sys.argv[2])
database.dispose()
"""


def _run(code, *args):
    subprocess.run([sys.executable, '-c', code] + list(args), check=True)


@contextlib.contextmanager
def statements(database):
    """The SQL statements ``database`` runs inside the block."""
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(database.engine, 'before_cursor_execute', record)
    try:
        yield seen
    finally:
        event.remove(database.engine, 'before_cursor_execute', record)


def test_the_version_changes_when_another_process_commits(tmp_path):
    path = str(tmp_path / 'file.sqlite')
    _run(WRITER, path)
    probe = ChangeProbe(path)
    first = probe.version()
    assert probe.version() == first
    _run(WRITER, path)
    second = probe.version()
    assert second != first
    assert probe.version() == second
    probe.close()


@pytest.mark.parametrize(
    'url', ['postgresql://mw@127.0.0.1/mw', 'sqlite://', 'sqlite:///:memory:']
)
def test_postgresql_and_memory_have_no_version(url):
    assert probe_for(make_url(url)).version() is None


def test_a_cache_keeps_values_of_one_version_only():
    cache = VersionedCache(size=2)
    assert cache.get((1, 1), 'a') is None
    cache.put((1, 1), 'a', 'A')
    cache.put((1, 1), 'b', 'B')
    assert cache.get((1, 1), 'a') == 'A'
    cache.put((1, 1), 'c', 'C')  # 'b' was used least
    assert cache.get((1, 1), 'b') is None
    assert cache.get((1, 2), 'a') is None
    # A value read at the old version is not kept under the new one.
    cache.put((1, 1), 'a', 'A')
    assert cache.get((1, 2), 'a') is None
    cache.put(None, 'a', 'A')
    assert cache.get(None, 'a') is None


@pytest.fixture
def sqlite_app(app_config):
    # No periodic syncs: nothing but the test writes to the database.
    app_config['INVENTORY_SYNC'] = False
    application = create_app(app_config)
    yield application
    close_app(application)


def _get(app, path, token):
    return app.test_client().get(path, headers={'X-Auth-Token': token})


def test_a_token_check_costs_no_query_while_nothing_changes(sqlite_app):
    database = storage.database(sqlite_app)
    token_id, value = _made(database, 'reader')
    assert _get(sqlite_app, '/v1/clouds', value).status_code == 200
    with statements(database) as seen:
        assert _get(sqlite_app, '/v1/clouds', value).status_code == 200
    assert not [s for s in seen if 'api_tokens' in s], seen


def test_a_token_revoked_by_another_process_is_refused_at_once(sqlite_app):
    database = storage.database(sqlite_app)
    token_id, value = _made(database, 'reader')
    assert _get(sqlite_app, '/v1/clouds', value).status_code == 200
    assert _get(sqlite_app, '/v1/clouds', value).status_code == 200
    _run(REVOKER, str(database.url), token_id)
    answer = _get(sqlite_app, '/v1/clouds', value)
    assert answer.status_code == 401
    assert 'revoked' in answer.get_json()['error']['message']


def test_a_cached_token_that_expires_is_refused(sqlite_app):
    database = storage.database(sqlite_app)
    token_id, value = _made(database, 'reader', expires_in=1)
    assert _get(sqlite_app, '/v1/clouds', value).status_code == 200
    time.sleep(1.1)
    answer = _get(sqlite_app, '/v1/clouds', value)
    assert answer.status_code == 401
    assert 'expired' in answer.get_json()['error']['message']


def test_a_node_made_by_another_process_is_in_the_next_list(
    sqlite_app, app_config
):
    database = storage.database(sqlite_app)
    token_id, value = _made(database, 'admin')
    # The first read syncs every cloud (it writes); the second reads what
    # the first wrote; from then on, nothing changes.
    _get(sqlite_app, '/v1/nodes', value)
    listed = _get(sqlite_app, '/v1/nodes', value).get_json()['nodes']
    with statements(database) as seen:
        again = _get(sqlite_app, '/v1/nodes', value).get_json()['nodes']
    assert again == listed
    assert seen == [], seen
    # Another app on the same files: another engine, another process's
    # view of the database.
    other = create_app(app_config)
    try:
        made = (
            other.test_client()
            .post(
                '/v1/clouds/sim-b/nodes',
                json={
                    'name': 'elsewhere',
                    'size': 'small',
                    'image': 'img-debian-12',
                },
                headers={'X-Auth-Token': value},
            )
            .get_json()
        )
    finally:
        close_app(other)
    names = [
        n['name']
        for n in _get(sqlite_app, '/v1/nodes', value).get_json()['nodes']
    ]
    assert 'elsewhere' in names, made


def test_a_kept_sync_state_stops_syncing_when_its_lease_runs_out(
    sqlite_app,
):
    database = storage.database(sqlite_app)
    token_id, value = _made(database, 'admin')
    _get(sqlite_app, '/v1/nodes', value)  # the sync rows exist
    inventory = sqlite_app.extensions['dispatcher.services'].inventory
    assert inventory_store.claim(database, 'default', 'nodes', 'elsewhere', 1)
    assert inventory._states(['default'], 'nodes')['default'].syncing
    time.sleep(1.1)
    with statements(database) as seen:
        state = inventory._states(['default'], 'nodes')['default']
    # Nothing was written: the state is the kept one, as of now.
    assert seen == []
    assert not state.syncing


def _made(database, role, **options):
    token, value = tokens.create_token(database, role, **options)
    return token['id'], value
