"""``mw serve`` as a child process: Flask's server, then gunicorn."""

import json
import socket
import subprocess
import sys
import tempfile
import time

import pytest
import requests
from mw_output import assert_clean_failure
from mw_runners import ROOT, process_env, run_as_process

from tests.api.test_metrics import value_of
from tests.support.servers import free_port, wait_until_serving


class ServeProcess(object):
    """``python -m dispatcher.cli serve ...`` on a free port."""

    def __init__(self, args, env):
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [
                sys.executable,
                '-m',
                'dispatcher.cli',
                'serve',
                '--port',
                str(self.port),
            ]
            + list(args),
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self):
        self.log.seek(0)
        return self.log.read().decode('utf-8', 'replace')

    def wait_for_output(self, text, count=1, timeout=30.0):
        """Wait until ``text`` was printed ``count`` times."""
        deadline = time.monotonic() + timeout
        while self.output().count(text) < count:
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def serve(tmp_path):
    """``serve(*args, **env)``: a started ``mw serve``, stopped after."""
    started = []

    def start(*args, **env):
        # A local process on 127.0.0.1: no token needed.
        env.setdefault('MW_AUTH_ENABLED', 'false')
        server = ServeProcess(
            args,
            process_env(MW_INSTANCE_PATH=str(tmp_path / 'instance'), **env),
        )
        started.append(server)
        wait_until_serving(
            server.url + '/healthz', timeout=60, process=server.process
        )
        return server

    yield start
    for server in started:
        server.stop()
        server.log.close()


def cloud_names(url):
    result = run_as_process(['--json', 'cloud-list'], url=url)
    assert result.exit_code == 0, result.stderr
    return [c['name'] for c in json.loads(result.stdout)['clouds']]


def test_serve_with_no_settings_runs_the_built_in_farm(serve):
    server = serve()
    assert cloud_names(server.url) == ['default', 'sim-eu', 'sim-us']
    output = server.output()
    assert (
        'mw: serving the API on %s with the Flask development server'
        % server.url
        in output
    )
    assert (
        'mw: clouds: default (simulator), sim-eu (simulator), '
        'sim-us (simulator)' in output
    )
    assert server.stop() == 0


def test_serve_with_workers_runs_gunicorn_on_the_settings(serve, tmp_path):
    settings = tmp_path / 'settings.py'
    settings.write_text(
        'class CloudConfig(object):\n'
        "    CLOUD_FARM = {'only': {'ENGINE': 'simulator',\n"
        "                           'EXTRA_PARAMS': {'boot_time': 0}}}\n"
    )
    server = serve('--workers', '2', '--settings', str(settings))
    server.wait_for_output('Booting worker with pid', count=2)
    output = server.output()
    assert (
        'mw: serving the API on %s with gunicorn, 2 workers' % server.url
        in output
    )
    assert 'Listening at: %s' % server.url in output
    assert cloud_names(server.url) == ['only']
    # Every worker sees the node, whichever one created it.
    created = run_as_process(
        [
            '--json',
            'node-create',
            'only',
            '--name',
            'w',
            '--size',
            'small',
            '--image',
            'img-debian-12',
        ],
        url=server.url,
    )
    assert created.exit_code == 0, created.stderr
    for _ in range(4):
        listed = run_as_process(
            ['--json', 'node-list', '--cloud', 'only'], url=server.url
        )
        assert [n['name'] for n in json.loads(listed.stdout)['nodes']] == ['w']
    assert server.stop() == 0
    assert 'Shutting down: Master' in server.output()


def test_serve_on_a_port_in_use_exits_1():
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run_as_process(['serve', '--port', str(port)])
    assert_clean_failure(
        result, 1, 'cannot listen on http://127.0.0.1:%d' % port
    )


def test_serve_with_a_settings_file_that_cannot_load_exits_1(tmp_path):
    settings = tmp_path / 'broken.py'
    settings.write_text('CLOUD_FARM = {\n')
    result = run_as_process(
        ['serve', '--settings', str(settings), '--port', str(free_port())]
    )
    assert_clean_failure(result, 1, 'cannot be loaded', str(settings))


def test_serve_with_a_missing_settings_file_exits_2(tmp_path):
    result = run_as_process(
        ['serve', '--settings', str(tmp_path / 'absent.py')]
    )
    assert_clean_failure(result, 2, 'does not exist')


@pytest.mark.parametrize('workers', [[], ['--workers', '2']])
def test_request_lines_are_logged_without_their_query(serve, workers):
    secret = 'mwt_' + 'q' * 40
    server = serve(*workers, MW_AUTH_ENABLED='true', MW_LOG_LEVEL='INFO')
    answer = requests.get(
        server.url + '/v1/clouds', params={'token': secret}, timeout=10
    )
    assert answer.status_code == 401
    requests.get(server.url + '/healthz', params={'probe': '1'}, timeout=10)
    time.sleep(1)
    output = server.output()
    assert secret not in output
    assert 'probe=1' not in output


def test_under_gunicorn_metrics_count_every_worker(serve):
    server = serve('--workers', '2')
    for _ in range(12):
        assert requests.get(server.url + '/v1/clouds', timeout=10).ok
    totals = set()
    for _ in range(4):  # whichever worker answers
        text = requests.get(server.url + '/metrics', timeout=10).text
        totals.add(
            value_of(
                text, 'mw_requests_total', route='/v1/clouds', status='200'
            )
        )
    assert totals == {12.0}
