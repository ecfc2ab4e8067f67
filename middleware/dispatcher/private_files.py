"""Local state readable by the service's own user only.

The instance folder holds the state database (tokens' digests, the audit
trail), the simulated clouds' state and the first admin token: it is made
``0700`` and its database files ``0600``, whatever the umask.  SQLite gives
a database's ``-wal`` and ``-shm`` files the mode of the database, so
creating the database file ``0600`` before SQLite opens it is enough.
"""

import os

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path):
    """Make the folder ``path`` (and its parents) if missing; a folder made
    here is ``0700``.  Returns ``path``."""
    if not os.path.isdir(path):
        os.makedirs(path, mode=FOLDER_MODE, exist_ok=True)
        os.chmod(path, FOLDER_MODE)
    return path


def private_file(path):
    """Create the file ``path`` empty if missing, ``0600`` either way, in a
    private folder.  Returns ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    private_folder(folder)
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)
    return path
