"""Real servers for the tests: the app in a thread, gunicorn in a process.

Both bind to 127.0.0.1 on a free port and are stopped by the tests.
"""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests
from werkzeug.serving import make_server

ROOT = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


#: What a server says when another process took its port first.
PORT_TAKEN = ('in use', 'Address already in use')


def start_on_a_free_port(server, launch, attempts=3):
    """Run ``launch()``; when the server exits because another process
    took its port between :func:`free_port` and its bind, try a new port.
    A server that exits for another reason fails with what it printed."""
    for attempt in range(attempts):
        try:
            return launch()
        except RuntimeError:
            server.log.seek(0)
            output = server.log.read().decode('utf-8', 'replace')
            if attempt + 1 == attempts or not any(
                taken in output for taken in PORT_TAKEN
            ):
                raise RuntimeError('the server did not start:\n' + output)
            old = str(server.port)
            server.port = free_port()
            server.url = 'http://127.0.0.1:%d' % server.port
            server.args = [
                arg.replace(old, str(server.port)) for arg in server.args
            ]


def wait_until_serving(url, timeout=30.0, process=None):
    """Poll ``url`` until it answers; fail if ``process`` dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError('server exited with %s' % process.returncode)
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError('%s did not answer within %s s' % (url, timeout))


class LiveServer(object):
    """A Flask app served by werkzeug's threaded server in a thread."""

    def __init__(self, app):
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self._server = make_server('127.0.0.1', self.port, app, threaded=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={'poll_interval': 0.05},
            daemon=True,
        )

    def start(self):
        self._thread.start()
        wait_until_serving(self.url + '/healthz')

    def stop(self):
        self._server.shutdown()
        self._thread.join(10)


class GunicornServer(object):
    """``gunicorn dispatcher:app`` in a child process, settings from env."""

    def __init__(self, env, workers=2, extra_args=()):
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.env = dict(os.environ, **env)
        self.env['PYTHONPATH'] = os.pathsep.join(
            [os.path.join(ROOT, 'middleware'), self.env.get('PYTHONPATH', '')]
        )
        self.args = (
            [
                sys.executable,
                '-m',
                'gunicorn',
                '-w',
                str(workers),
                '-b',
                '127.0.0.1:%d' % self.port,
                '--graceful-timeout',
                '5',
            ]
            + list(extra_args)
            + ['dispatcher:app']
        )
        self.process = None

    def start(self):
        start_on_a_free_port(self, self._launch)

    def _launch(self):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            self.args, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        wait_until_serving(
            self.url + '/healthz', timeout=60, process=self.process
        )

    def stop_only(self):
        """Stop the server, keeping what it printed readable."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stop(self):
        self.stop_only()
        output = self.output()
        self.log.close()
        return output

    def output(self):
        """Everything the server printed so far (nothing once stopped)."""
        if getattr(self, 'log', None) is None or self.log.closed:
            return ''
        self.log.seek(0)
        text = self.log.read().decode('utf-8', 'replace')
        self.log.seek(0, os.SEEK_END)
        return text
