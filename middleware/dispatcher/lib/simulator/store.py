"""SQLite state store of the simulated cloud.

One database file holds every node, volume and key pair, so the state is
shared by all threads and processes that point a driver at the same file and
survives restarts.  Each thread of a process keeps its own connection to
the file (a process made by ``fork`` opens new ones); writes run in ``BEGIN
IMMEDIATE`` transactions so concurrent writers are serialised by SQLite
instead of losing updates.  Writers also take turns before they ask SQLite
(see :class:`WriteTurns`), so that a write waits for the writes before it,
not for SQLite's polling.  The file is in WAL mode with ``synchronous =
NORMAL``: a commit survives a crash of the process and only a power cut may
lose the last ones, durability enough for a stand-in cloud, whose commits
then do not wait for the disk.
"""

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
import weakref
from datetime import datetime, timezone

from dispatcher.private_files import private_file

BUSY_TIMEOUT = 10.0

#: Seconds between the first two tries of a process waiting for another
#: process's write turn, and at most between two (:class:`WriteTurns`).
TURN_POLL = (0.001, 0.016)

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS nodes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        size_id TEXT NOT NULL,
        image_id TEXT NOT NULL,
        location_id TEXT NOT NULL,
        key_name TEXT,
        state TEXT NOT NULL,
        ready_at REAL NOT NULL,
        created_at REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS volumes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        location_id TEXT NOT NULL,
        state TEXT NOT NULL,
        node_id TEXT,
        device TEXT,
        created_at REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS key_pairs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        public_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at REAL NOT NULL)""",
    'CREATE INDEX IF NOT EXISTS volumes_node ON volumes (node_id)',
)


class WriteTurns(object):
    """The turns of the writers of one state file: the threads of a
    process on a lock, then the processes on an exclusive ``flock`` of the
    file ``<state file>.lock``.

    SQLite alone makes a writer that finds the file locked poll, sleeping
    longer after each try (up to 0.1 s a sleep).  With many writers at
    once, as when a cloud's creates of a big stack all answer together, a
    write of a millisecond then waited up to 1.6 s (one in a hundred 0.9
    s, sixteen writers of four processes on one file).  Here a thread
    waits on a lock that is handed on as soon as it is released, and at
    most one thread per process polls the file lock, 1 ms after its first
    try, then twice as long each time, 16 ms at most
    (:data:`TURN_POLL`).  The lock file is not the database: opening
    and closing it touches no lock of SQLite's.

    Waiting longer than ``timeout`` raises
    :class:`sqlite3.OperationalError`, as SQLite does when busy.
    """

    def __init__(self, path, timeout=BUSY_TIMEOUT):
        self.path = path + '.lock'
        self.timeout = timeout
        self._threads = threading.Lock()
        self._descriptor = None
        self._pid = None

    @contextlib.contextmanager
    def __call__(self):
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError('database is locked')
        try:
            descriptor = self._open()
            pause, longest = TURN_POLL
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise sqlite3.OperationalError('database is locked')
                    time.sleep(pause)
                    pause = min(pause * 2, longest)
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _open(self):
        """This process's descriptor of the lock file (one inherited by a
        forked child shares its parent's lock, so the child opens its
        own)."""
        if self._pid != os.getpid():
            private_file(self.path)
            self._descriptor = os.open(self.path, os.O_RDWR)
            self._pid = os.getpid()
        return self._descriptor

    def __del__(self):
        # A store no driver holds any more keeps no file open.
        if self._descriptor is not None and self._pid == os.getpid():
            os.close(self._descriptor)


class Store(object):
    """Access to the simulator's SQLite database at ``path``.

    Use :meth:`at`: a driver is made for each thread that calls a cloud,
    and the schema is made once per process and file, not once per
    thread.
    """

    #: The stores in use, by path: a store no driver holds any more is
    #: dropped, and with it its threads' connections (a process that made
    #: many clouds, one after another, keeps no file open for the old ones).
    _opened = weakref.WeakValueDictionary()
    _opening = threading.Lock()

    def __init__(self, path):
        self.path = private_file(os.path.abspath(os.fspath(path)))
        self._local = threading.local()
        self._turns = WriteTurns(self.path)
        self._create_schema()
        self.identity = _identity(self.path)

    @classmethod
    def at(cls, path):
        """The store of the file ``path``, shared by this process's
        drivers while that file is the same one (a file removed and made
        again gets its schema again)."""
        path = os.path.abspath(os.fspath(path))
        with cls._opening:
            store = cls._opened.get(path)
            if store is None or store.identity != _identity(path):
                store = cls._opened[path] = cls(path)
            return store

    def _connect(self):
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT, isolation_level=None
        )
        conn.row_factory = sqlite3.Row
        conn.execute('PRAGMA busy_timeout = %d' % int(BUSY_TIMEOUT * 1000))
        conn.execute('PRAGMA synchronous = NORMAL')
        return conn

    @contextlib.contextmanager
    def _connection(self):
        """This thread's connection (made in this process); one left inside
        a transaction by an error is closed and made again next time."""
        local = self._local
        conn = getattr(local, 'conn', None)
        if conn is None or local.pid != os.getpid():
            conn = local.conn = self._connect()
            local.pid = os.getpid()
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                local.conn = None
                conn.close()
            raise

    def _create_schema(self):
        # Switching to WAL needs a brief exclusive lock, which can report
        # "locked" without waiting when another process is doing the same.
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                with contextlib.closing(self._connect()) as conn:
                    conn.execute('PRAGMA journal_mode = WAL')
                break
            except sqlite3.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        with self.write() as conn:
            for statement in SCHEMA:
                conn.execute(statement)

    @contextlib.contextmanager
    def read(self):
        """Yield a connection inside a read transaction (one snapshot)."""
        with self._connection() as conn:
            conn.execute('BEGIN')
            try:
                yield conn
            finally:
                conn.execute('ROLLBACK')

    @contextlib.contextmanager
    def write(self):
        """Yield a connection inside a ``BEGIN IMMEDIATE`` transaction, in
        this writer's turn (:class:`WriteTurns`).

        The transaction commits when the block ends and rolls back if it
        raises.
        """
        # The connection is made (once per thread) before the turn is
        # taken: the turn is held for the transaction only.
        with self._connection() as conn, self._turns():
            conn.execute('BEGIN IMMEDIATE')
            try:
                yield conn
            except BaseException:
                conn.execute('ROLLBACK')
                raise
            conn.execute('COMMIT')


def _identity(path):
    """Which file ``path`` is now (``None``: none)."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


def to_datetime(seconds):
    """Return the UTC ``datetime`` of a stored epoch timestamp."""
    return datetime.fromtimestamp(seconds, timezone.utc)
