"""Local state files: private, and never a danger to SQLite's locks."""

import os
import sqlite3
import stat
import subprocess
import sys

from dispatcher.private_files import private_file


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_missing_file_is_made_private(tmp_path):
    path = str(tmp_path / 'state' / 'db.sqlite')
    assert private_file(path) == path
    assert mode(path) == 0o600
    assert mode(os.path.dirname(path)) == 0o700
    assert os.path.getsize(path) == 0


def test_an_existing_file_keeps_its_content_and_is_made_private(tmp_path):
    path = tmp_path / 'db.sqlite'
    path.write_bytes(b'kept')
    path.chmod(0o644)
    private_file(str(path))
    assert mode(path) == 0o600
    assert path.read_bytes() == b'kept'


def in_another_process(path, statement):
    """Run ``statement`` on the database ``path`` in a process of its own
    (its connection is the only one there, and closes at the end)."""
    code = (
        'import sqlite3, sys\n'
        'db = sqlite3.connect(sys.argv[1], isolation_level=None)\n'
        'print(db.execute(sys.argv[2]).fetchall())\n'
        'db.close()\n'
    )
    done = subprocess.run(
        [sys.executable, '-c', code, path, statement],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_making_an_open_database_private_loses_none_of_its_writes(tmp_path):
    # The simulated clouds make a store (and call private_file) for each
    # thread's connection while other threads of the process write.  Had
    # private_file opened and closed the file, this process would lose its
    # locks on it: the other process's connection, closing, would take
    # itself for the last, fold the WAL in and delete it, and the write
    # made here afterwards would go to a deleted file.
    path = str(tmp_path / 'shared.sqlite')
    here = sqlite3.connect(path, isolation_level=None)
    here.execute('PRAGMA journal_mode = WAL')
    here.execute('CREATE TABLE t (x)')
    here.execute('INSERT INTO t VALUES (1)')

    private_file(path)
    in_another_process(path, 'INSERT INTO t VALUES (2)')
    here.execute('INSERT INTO t VALUES (3)')

    assert in_another_process(path, 'SELECT x FROM t ORDER BY x') == (
        '[(1,), (2,), (3,)]'
    )
    here.close()
