"""Whether the database has changed: what keeps the caches of hot reads
(the token check, the inventory's sync states) exact across processes.

On a SQLite file, ``PRAGMA data_version`` of a connection that never
writes changes whenever any other connection, of this process or another
one, commits a change to the file (sqlite.org, "PRAGMA data_version").
Asking costs a few microseconds and no query plan, against a fraction of a
millisecond for the reads it saves; so a value cached with the version it
was read at is used while the version is the same, and read again as soon
as any gunicorn worker or ``mw`` command has written anything.

PostgreSQL has no signal as cheap: :meth:`ChangeProbe.version` is then
``None``, which no cache matches, and every read asks the database as it
would without a cache.

A version is read *before* the value it guards, so a change committed in
between makes the next version differ and the value is read again: a cache
may miss a change only for the request that is under way.
"""

import os
import sqlite3
import threading

import cachetools

#: Probe connections of a parent process, left open in a forked child:
#: closing one would drop the child's own SQLite locks on the file (POSIX
#: locks belong to the process, and go with any descriptor's close).
_INHERITED = []


class ChangeProbe(object):
    """The change version of one SQLite file (``path``), or of none."""

    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None
        self._generation = 0

    def version(self):
        """An opaque value that differs after any commit to the file by
        another connection; ``None`` when changes cannot be told."""
        if self.path is None:
            return None
        with self._lock:
            if self._connection is None or self._pid != os.getpid():
                self._open()
            try:
                row = self._connection.execute(
                    'PRAGMA data_version'
                ).fetchone()
            except sqlite3.Error:
                return None
            return (self._generation, row[0])

    def _open(self):
        if self._connection is not None:
            _INHERITED.append(self._connection)
        # A version is only comparable with one of the same connection.
        self._generation += 1
        self._pid = os.getpid()
        self._connection = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None
        )

    def close(self):
        """Close the probe's connection (this process's own only)."""
        with self._lock:
            if self._connection is not None and self._pid == os.getpid():
                self._connection.close()
            self._connection = None


class VersionedCache(object):
    """Values read from the database, each kept while the database's
    version (:meth:`ChangeProbe.version`) stays the one it was read at; at
    most ``size`` of them, the least used dropped first."""

    def __init__(self, size=1024):
        self._lock = threading.Lock()
        self._version = None
        self._values = cachetools.LRUCache(maxsize=size)

    def get(self, version, key):
        """The value of ``key`` read at ``version``, or ``None``."""
        with self._lock:
            if version is None or version != self._version:
                self._values.clear()
                self._version = version
                return None
            return self._values.get(key)

    def put(self, version, key, value):
        """Keep ``value``, read at ``version`` (read before the value)."""
        with self._lock:
            if version is None or version != self._version:
                return
            self._values[key] = value


def probe_for(url):
    """The probe of a database URL: a SQLite file's, or none."""
    if url.get_backend_name() == 'sqlite':
        if url.database and url.database != ':memory:':
            return ChangeProbe(url.database)
    return ChangeProbe(None)
