"""A server in a child process, logging to a file, stopped by its owner."""

import os
import subprocess
import tempfile
import time

import requests

from tests.backends.emulators import EmulatorUnavailable
from tests.support.servers import free_port


class ServerProcess(object):
    """``args`` (with ``{port}`` filled in) run until :meth:`stop`.

    :param name: what the server is, for messages.
    :param args: the command; ``{port}`` is replaced by a free port.
    :param ready_path: a path that answers once the server serves.
    :param env: extra environment variables.
    """

    def __init__(self, name, args, ready_path='/', env=None):
        self.name = name
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.args = [a.replace('{port}', str(self.port)) for a in args]
        self.ready_path = ready_path
        self.env = dict(os.environ, **(env or {}))
        self.workdir = tempfile.TemporaryDirectory(prefix='mw-%s-' % name)
        self.log_path = os.path.join(self.workdir.name, 'server.log')
        self.process = None

    def start(self, timeout=60.0):
        """Start the process and wait until it answers HTTP."""
        with open(self.log_path, 'wb') as log:
            self.process = subprocess.Popen(
                self.args,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.workdir.name,
                env=self.env,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmulatorUnavailable(
                    '%s exited with %s: %s'
                    % (self.name, self.process.returncode, self.log_tail())
                )
            try:
                requests.get(self.url + self.ready_path, timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise EmulatorUnavailable(
            '%s did not answer within %d s: %s'
            % (self.name, timeout, self.log_tail())
        )

    def stop(self):
        """Stop the process (and remove its working folder)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.workdir.cleanup()

    def log_tail(self, size=2000):
        """The end of what the server printed."""
        try:
            with open(self.log_path, 'rb') as log:
                return log.read()[-size:].decode('utf-8', 'replace')
        except OSError:
            return ''
