"""Local state readable by the service's own user only.

The instance folder holds the state database (tokens' digests, the audit
trail), the simulated clouds' state and the first admin token: it is made
``0700`` and its database files ``0600``, whatever the umask.  SQLite gives
a database's ``-wal`` and ``-shm`` files the mode of the database, so
creating the database file ``0600`` before SQLite opens it is enough.
"""

import os
import stat

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
    private folder.  Returns ``path``.

    The file is never opened once it exists.  Closing any descriptor of a
    file drops every POSIX lock the process holds on it, SQLite's among
    them (https://www.sqlite.org/howtocorrupt.html, section 2.2).  A
    connection of this process whose shared lock on a WAL database is
    dropped lets another process's connection believe it is the last one:
    that one checkpoints and deletes the WAL, and what this process writes
    next is lost.  So the file is made with ``mknod`` (no descriptor) and
    its mode set by path.
    """
    folder = os.path.dirname(os.path.abspath(path))
    private_folder(folder)
    try:
        os.mknod(path, stat.S_IFREG | FILE_MODE)
    except FileExistsError:
        pass
    except OSError:
        # Systems where mknod makes no regular file: a descriptor of a
        # file just made exclusively holds no lock of this process yet.
        try:
            descriptor = os.open(
                path, os.O_CREAT | os.O_EXCL | os.O_RDWR, FILE_MODE
            )
        except FileExistsError:
            pass
        else:
            os.close(descriptor)
    os.chmod(path, FILE_MODE)
    return path
