"""A graceful stop never fails a job.

The server is sent ``SIGTERM`` (what every deploy does) while a stack is
being created and requests are in flight; the stopping process hands its
running jobs on, and the next server resumes them.  Ten times in a row for
gunicorn (three for ``mw serve``, which stops the same way), each stack
ends ``active`` with exactly its nodes in the simulated clouds.
"""

import os
import signal
import subprocess
import sys
import tempfile
import threading

import pytest
import requests

from tests.orchestration.support import provider_nodes, template
from tests.orchestration.test_restart import (
    SETTINGS,
    KillableGunicorn,
    _poll,
    finish_on,
)
from tests.support.servers import (
    free_port,
    start_on_a_free_port,
    wait_until_serving,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
ROUNDS = 10


class MwServe(KillableGunicorn):
    """``mw serve`` (Flask's threaded server), stopped like gunicorn."""

    def __init__(self, env, workers=1):
        self.env = dict(os.environ, **env)
        self.env['PYTHONPATH'] = os.path.join(ROOT, 'middleware')
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.args = [
            sys.executable,
            '-m',
            'dispatcher.cli',
            'serve',
            '--port',
            str(self.port),
        ]

    def start(self):
        start_on_a_free_port(self, self._launch)

    def _launch(self):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            self.args,
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_serving(
            self.url + '/healthz', timeout=60, process=self.process
        )

    def output(self):
        self.log.seek(0)
        return self.log.read().decode('utf-8', 'replace')


def _stop_gracefully(server, url):
    """``SIGTERM`` to the server while clients keep asking it."""
    stop = threading.Event()

    def ask():
        while not stop.is_set():
            try:
                requests.get(url, timeout=5)
            except requests.RequestException:
                return

    clients = [threading.Thread(target=ask) for _ in range(3)]
    for client in clients:
        client.start()
    os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(40)
    finally:
        stop.set()
        for client in clients:
            client.join(10)


@pytest.mark.parametrize(
    'server_class, rounds', [(KillableGunicorn, ROUNDS), (MwServe, 3)]
)
def test_sigterm_mid_creation_hands_the_job_on(tmp_path, server_class, rounds):
    settings = tmp_path / 'settings.py'
    settings.write_text(SETTINGS)
    env = {
        'MW_SETTINGS': str(settings),
        'MW_INSTANCE_PATH': str(tmp_path / 'instance'),
        'MW_DATABASE_URL': 'sqlite:///%s' % (tmp_path / 'state.sqlite'),
    }
    expected = {}
    for round_ in range(rounds):
        first = server_class(env, workers=2)
        first.start()
        try:
            body = template(
                name='web%d' % round_, count=6, clouds=['default', 'sim-b']
            )
            response = requests.post(
                first.url + '/v1/stacks', json=body, timeout=30
            )
            assert response.status_code == 202, response.text
            stack_path = response.headers['Location']
            job_id = response.json()['job']['id']
            _poll(
                first.url + stack_path,
                lambda b: any(n['provider_id'] for n in b['stack']['nodes']),
            )
            _stop_gracefully(first, first.url + stack_path)
        finally:
            output = first.stop()
        job, stack = finish_on(
            server_class(env, workers=2), job_id, stack_path, output
        )
        assert job['status'] == 'succeeded', (round_, job, output)
        assert stack['status'] == 'active', (round_, stack)
        assert [n['state'] for n in stack['nodes']] == ['running'] * 6
        for node in stack['nodes']:
            expected.setdefault(node['cloud'], {})[node['provider_id']] = node[
                'name'
            ]
    instance = env['MW_INSTANCE_PATH']
    for cloud in ('default', 'sim-b'):
        assert provider_nodes(instance, cloud) == expected[cloud]
