"""Persistent state: the SQL database of jobs, stacks and their history.

A SQLite file ``mw.sqlite`` in the instance folder by default (nothing to
set up), PostgreSQL when ``DATABASE_URL`` (``MW_DATABASE_URL``) names one,
e.g. ``postgresql://mw@db.example.com/mw``.  :func:`init_app` opens the
database, creates the schema of a new (empty) one, and refuses to start on a
schema that is behind this version: ``mw db upgrade`` brings it up to date.

Engines are fork-safe: a child process (a gunicorn worker) drops the pooled
connections it inherited and opens its own.  SQLite runs in WAL mode with a
busy timeout, and a writing session takes SQLite's write lock when it
begins, so that concurrent writers wait for each other instead of failing.
"""

import contextlib
import os
import threading
import time
import weakref

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from dispatcher.private_files import private_file
from dispatcher.storage.changes import probe_for

EXTENSION = 'dispatcher.storage'

#: Seconds a SQLite connection waits for another writer before failing.
SQLITE_BUSY_TIMEOUT = 30.0

#: The file name of the default database, in the instance folder.
DEFAULT_FILE = 'mw.sqlite'

#: The errors a failure of the database itself is raised as (see
#: :func:`unavailable`).
UNAVAILABLE = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.TimeoutError)

#: How SQLite words its failures that are the file's state, not a bug of
#: the statement (its "no such table" is an OperationalError too).
_SQLITE_UNAVAILABLE = (
    'database is locked',
    'database table is locked',
    'unable to open database file',
    'disk i/o error',
    'database or disk is full',
)


def unavailable(exc):
    """Whether ``exc`` is a failure of the database itself, not of the
    statement sent: a connection refused or lost, a pool with no free
    connection within its timeout, a busy or unreadable SQLite file, a
    transaction PostgreSQL could not carry out.  A request failing so may
    be tried again."""
    if isinstance(exc, sqlalchemy.exc.TimeoutError):
        return True
    if not isinstance(exc, sqlalchemy.exc.OperationalError):
        return False
    orig = getattr(exc, 'orig', None)
    if type(orig).__module__ == 'sqlite3':
        return str(orig).lower().startswith(_SQLITE_UNAVAILABLE)
    return True


_OPEN = weakref.WeakSet()
_FORK_HOOK = threading.Lock()
_hooked = []


def database_url(config, instance_path):
    """The URL of the database from the settings (default: SQLite file)."""
    url = config.get('DATABASE_URL')
    if not url:
        return 'sqlite:///' + os.path.join(
            os.path.abspath(instance_path), DEFAULT_FILE
        )
    return str(url)


def normalise_url(url):
    """``url`` as a SQLAlchemy URL, with psycopg 3 for bare PostgreSQL."""
    url = make_url(url)
    if url.drivername in ('postgres', 'postgresql'):
        url = url.set(drivername='postgresql+psycopg')
    return url


def describe_url(url):
    """``url`` as text fit for a message: never its password."""
    return make_url(url).render_as_string(hide_password=True)


def dialect_insert(is_sqlite):
    """SQLite's or PostgreSQL's ``insert``, which takes
    ``on_conflict_do_nothing`` and ``on_conflict_do_update`` (the two spell
    them alike)."""
    return sqlite.insert if is_sqlite else postgresql.insert


def _after_fork_in_child():
    for database in list(_OPEN):
        database.engine.dispose(close=False)


def _watch_forks(database):
    with _FORK_HOOK:
        if not _hooked and hasattr(os, 'register_at_fork'):
            os.register_at_fork(after_in_child=_after_fork_in_child)
            _hooked.append(True)
        _OPEN.add(database)


def _prepare_sqlite(engine):
    @event.listens_for(engine, 'connect')
    def on_connect(dbapi_connection, record):
        # Transactions are begun explicitly below, DEFERRED or IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(
            'PRAGMA busy_timeout = %d' % int(SQLITE_BUSY_TIMEOUT * 1000)
        )
        cursor.execute('PRAGMA foreign_keys = ON')
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT
        while True:
            # Switching a new file to WAL needs a brief exclusive lock that
            # reports "locked" without waiting when another process does the
            # same at that moment.
            try:
                cursor.execute('PRAGMA journal_mode = WAL')
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        cursor.execute('PRAGMA synchronous = NORMAL')
        cursor.close()

    @event.listens_for(engine, 'begin')
    def on_begin(connection):
        mode = connection.get_execution_options().get(
            'sqlite_begin', 'DEFERRED'
        )
        connection.exec_driver_sql('BEGIN %s' % mode)


class Database(object):
    """An engine and its sessions for one database URL."""

    def __init__(self, url, pool_size=10, max_overflow=20):
        self.url = normalise_url(url)
        self.is_sqlite = self.url.get_backend_name() == 'sqlite'
        options = {}
        if self.is_sqlite:
            if self.url.database and self.url.database != ':memory:':
                private_file(self.url.database)
            options['connect_args'] = {
                'timeout': SQLITE_BUSY_TIMEOUT,
                'check_same_thread': False,
            }
            options.update(pool_size=10, max_overflow=20)
        else:
            options.update(
                pool_pre_ping=True,
                pool_size=int(pool_size),
                max_overflow=int(max_overflow),
            )
        self.engine = sqlalchemy.create_engine(self.url, **options)
        if self.is_sqlite:
            _prepare_sqlite(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._changes = probe_for(self.url)
        _watch_forks(self)

    def __repr__(self):
        return '<Database %s>' % describe_url(self.url)

    def insert(self, model):
        """An ``INSERT`` into ``model``'s table in this database's dialect,
        which takes ``on_conflict_do_nothing`` and ``on_conflict_do_update``
        (SQLite and PostgreSQL spell them alike)."""
        return dialect_insert(self.is_sqlite)(model)

    @contextlib.contextmanager
    def session(self, write=False):
        """A session in one transaction: committed at the end, or rolled
        back if the block raises.

        :param write: the block writes; on SQLite it takes the write lock at
            once, so that a read-then-write cannot fail half-way.
        """
        with self._sessions() as session:
            if write and self.is_sqlite:
                session.connection(
                    execution_options={'sqlite_begin': 'IMMEDIATE'}
                )
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextlib.contextmanager
    def locked_connection(self):
        """A connection in a transaction that holds the database's write
        lock (SQLite) or a migration advisory lock (PostgreSQL)."""
        with self.engine.connect() as connection:
            if self.is_sqlite:
                connection = connection.execution_options(
                    sqlite_begin='IMMEDIATE'
                )
            with connection.begin():
                if self.url.get_backend_name() == 'postgresql':
                    connection.exec_driver_sql(
                        'SELECT pg_advisory_xact_lock(7061726)'
                    )
                yield connection

    def version(self):
        """An opaque value that differs once anything has been committed
        since it was read, or ``None`` (see :mod:`.changes`)."""
        return self._changes.version()

    def dispose(self):
        """Close every pooled connection."""
        self._changes.close()
        self.engine.dispose()
        _OPEN.discard(self)


def init_app(app):
    """Open the app's database and make sure its schema is current.

    :raises dispatcher.storage.schema.SchemaError: the schema is behind
        (run ``mw db upgrade``) or is not one this version knows.
    """
    from dispatcher.storage import schema

    database = Database(
        database_url(app.config, app.instance_path),
        pool_size=app.config.get('DATABASE_POOL_SIZE', 10),
        max_overflow=app.config.get('DATABASE_MAX_OVERFLOW', 20),
    )
    try:
        schema.prepare(database)
    except Exception:
        database.dispose()
        raise
    app.extensions[EXTENSION] = database
    return database


def database(app=None):
    """The :class:`Database` of ``app`` (default: the current app)."""
    if app is None:
        from flask import current_app

        app = current_app
    return app.extensions[EXTENSION]
