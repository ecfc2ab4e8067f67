"""On a terminal, ``mw node-create --wait`` rewrites one status line."""

import os
import pty
import select
import subprocess
import sys

from mw_runners import ROOT, process_env


def test_wait_on_a_terminal_shows_a_live_status_line(live_server):
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            '-m',
            'dispatcher.cli',
            '--json',
            'node-create',
            'default',
            '--name',
            'tty',
            '--size',
            'small',
            '--image',
            'img-ubuntu-24.04',
            '--wait',
        ],
        env=process_env(live_server.url),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=slave,
        text=True,
    )
    os.close(slave)
    try:
        stdout, _ = process.communicate(timeout=120)
        terminal = b''
        while select.select([master], [], [], 0)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            terminal += chunk
    finally:
        os.close(master)
    assert process.returncode == 0
    assert '"state": "running"' in stdout
    text = terminal.decode()
    assert text.startswith('\r\x1b[Knode tty (')
    assert 'on default: running  (' in text
    assert text.endswith('\r\n')
    assert text.count('\n') == 1
