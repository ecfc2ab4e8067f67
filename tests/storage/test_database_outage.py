"""The service's own database out of reach: each request answers a 503
``database_unavailable`` with ``Retry-After``, never a 500, and neither
the answer nor the log holds the database's address or password; once the
database is back, the same app answers again.

PostgreSQL is reached through a TCP relay on 127.0.0.1 that the test
stops and starts again: what a restart of the database, or a network cut
between the API host and it, looks like to the service.  A statement that
is wrong (SQLite reports a missing table as an OperationalError too) is
the service's own bug, and stays a 500.
"""

import logging
import os
import select
import socket
import threading
import urllib.parse

import pytest
import sqlalchemy
from sqlalchemy import text

from dispatcher import close_app, create_app, storage
from tests.storage.backends import (
    POSTGRES_URL,
    drop_schema,
    postgres_schema_url,
)

PASSWORD = 'pw-never-shown-4c1d'


class Relay(object):
    """Bytes between 127.0.0.1:``port`` and ``target`` while it runs."""

    def __init__(self, target):
        self.target = target
        self.port = None
        self._listener = None
        self._sockets = set()
        self._lock = threading.Lock()

    def start(self):
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(('127.0.0.1', self.port or 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        threading.Thread(
            target=self._accept, args=(self._listener,), daemon=True
        ).start()

    def stop(self):
        """Refuse new connections and cut those under way."""
        listener, self._listener = self._listener, None
        if listener is not None:
            # A close alone leaves a thread's accept() listening (Linux).
            listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self._lock:
                self._sockets.update((client, server))
            threading.Thread(
                target=self._pump, args=(client, server), daemon=True
            ).start()

    def _pump(self, client, server):
        ends = {client: server, server: client}
        try:
            while True:
                readable, _, _ = select.select(list(ends), [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    ends[sock].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for sock in ends:
                sock.close()


@pytest.fixture
def relayed_postgres():
    """``(url, relay)``: a new schema of the test PostgreSQL reached
    through a :class:`Relay`, its URL with a password in it."""
    url, schema = postgres_schema_url()
    target = urllib.parse.urlsplit(POSTGRES_URL)
    relay = Relay((target.hostname or '127.0.0.1', target.port or 5432))
    relay.start()
    parts = urllib.parse.urlsplit(url)
    netloc = '%s:%s@127.0.0.1:%d' % (
        parts.username or 'postgres',
        PASSWORD,
        relay.port,
    )
    yield parts._replace(netloc=netloc).geturl(), relay
    relay.stop()
    drop_schema(schema)


@pytest.fixture
def outage_app(app_config, relayed_postgres, monkeypatch):
    for name in list(os.environ):
        if name.startswith('MW_'):
            monkeypatch.delenv(name)
    url, _ = relayed_postgres
    application = create_app(
        dict(app_config, DATABASE_URL=url, AUTH_ENABLED=False)
    )
    yield application
    close_app(application)


def test_a_database_out_of_reach_is_a_503_to_retry(
    outage_app, relayed_postgres, caplog
):
    url, relay = relayed_postgres
    client = outage_app.test_client()
    assert client.get('/v1/jobs').status_code == 200

    relay.stop()
    with caplog.at_level(logging.WARNING):
        reads = [client.get('/v1/jobs'), client.get('/v1/stacks')]
        change = client.post('/v1/stacks', json={'name': 'web', 'groups': []})
    for answer in reads:
        assert answer.status_code == 503, answer.get_data(as_text=True)
        assert answer.json['error']['code'] == 'database_unavailable'
    # A change is refused before anything: its audit event cannot be kept.
    assert change.status_code == 503, change.get_data(as_text=True)
    assert change.json['error']['code'] == 'audit_unavailable'
    for answer in reads + [change]:
        assert int(answer.headers['Retry-After']) > 0
        shown = answer.get_data(as_text=True)
        assert PASSWORD not in shown
        assert str(relay.port) not in shown
    for record in caplog.records:
        assert PASSWORD not in record.getMessage() + (record.exc_text or '')
    api_lines = [
        record for record in caplog.records if record.name == 'dispatcher.api'
    ]
    assert [r.getMessage().split(':')[0] for r in api_lines] == [
        'the database failed in GET /v1/jobs',
        'the database failed in GET /v1/stacks',
    ]
    # One line each, with no statement and no traceback.
    assert not any(r.exc_info or 'SELECT' in r.getMessage() for r in api_lines)

    # A line that would show the database's URL shows no password.
    log_filter = outage_app.extensions['dispatcher.log_filter']
    assert PASSWORD not in log_filter.clean('connecting to %s' % url)

    relay.start()  # the database is back, on the same address
    assert client.get('/v1/jobs').status_code == 200


def test_only_the_database_s_own_failures_are_outages(tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'state.sqlite')
    engine = sqlalchemy.create_engine(
        url,
        connect_args={'timeout': 0},
        poolclass=sqlalchemy.pool.QueuePool,
        pool_size=2,
        max_overflow=0,
        pool_timeout=0.1,
    )
    try:
        with engine.connect() as first, engine.connect() as second:
            with pytest.raises(sqlalchemy.exc.OperationalError) as wrong:
                first.execute(text('SELECT * FROM nowhere'))
            first.exec_driver_sql('BEGIN IMMEDIATE')
            with pytest.raises(sqlalchemy.exc.OperationalError) as locked:
                second.exec_driver_sql('BEGIN IMMEDIATE')
            with pytest.raises(sqlalchemy.exc.TimeoutError) as no_free:
                engine.connect()
            first.exec_driver_sql('ROLLBACK')
    finally:
        engine.dispose()
    assert 'no such table' in str(wrong.value)
    assert not storage.unavailable(wrong.value)
    assert 'database is locked' in str(locked.value)
    assert storage.unavailable(locked.value)
    assert storage.unavailable(no_free.value)
    assert not storage.unavailable(ValueError('no database here'))


def test_a_wrong_statement_stays_a_500(client, app):
    # The service's own bug, not the database's state: the table it reads
    # is not there (SQLite raises an OperationalError for it too).
    assert client.get('/v1/jobs').status_code == 200
    with storage.database(app).engine.begin() as connection:
        connection.exec_driver_sql('ALTER TABLE jobs RENAME TO jobs_gone')
    answer = client.get('/v1/jobs')
    assert answer.status_code == 500, answer.get_data(as_text=True)
    assert answer.json['error']['code'] == 'internal_error'
