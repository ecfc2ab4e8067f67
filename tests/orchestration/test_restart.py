"""Restart safety: the server is killed (SIGKILL) in the middle of a stack's
creation, or of its rollback, and started again on the same instance
folder.  The job is resumed and the stack ends in a defined state, with
every node the simulated clouds hold accounted for by the stack."""

import os
import signal
import subprocess
import tempfile
import time

import pytest
import requests

from tests.orchestration.support import broken_group, provider_nodes, template
from tests.support.servers import GunicornServer, wait_until_serving

SETTINGS = """
AUTH_ENABLED = False
LOG_LEVEL = 'INFO'
JOB_LEASE_SECONDS = 2
JOB_CONCURRENCY_PER_CLOUD = 2
PROVIDER_TIMEOUT = 10.0
CLOUD_FARM = {
    'default': {'ENGINE': 'simulator',
                'EXTRA_PARAMS': {'boot_time': 0.2, 'latency': 0.25}},
    'sim-b': {'ENGINE': 'simulator',
              'EXTRA_PARAMS': {'boot_time': 0.2, 'latency': 0.25}},
    'sim-broken': {'ENGINE': 'simulator',
                   'EXTRA_PARAMS': {'boot_time': 0.2, 'latency': 0.25,
                                    'fail_with': 'server_error',
                                    'failure_rate': 1.0,
                                    'fail_operations': ['create_node']}},
}
"""

CLOUDS = ('default', 'sim-b', 'sim-broken')


class KillableGunicorn(GunicornServer):
    """gunicorn in a process group of its own, so that the master and its
    workers can be killed at once, as a crash of the host would."""

    def _launch(self):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            self.args,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_serving(
            self.url + '/healthz', timeout=60, process=self.process
        )

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        """Stop the server (if still running); returns what it printed."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.log.closed:
            return ''
        output = self.output()
        self.log.close()
        return output


@pytest.fixture
def server_env(tmp_path, database_url):  # noqa: F811
    settings = tmp_path / 'settings.py'
    settings.write_text(SETTINGS)
    env = {
        'MW_SETTINGS': str(settings),
        'MW_INSTANCE_PATH': str(tmp_path / 'instance'),
        'MW_DATABASE_URL': database_url,
    }
    return env


def _poll(url, until, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        body = requests.get(url, timeout=10).json()
        if until(body):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.05)


def _crash_and_restart(server_env, body, crash_when):
    first = KillableGunicorn(server_env, workers=2)
    first.start()
    try:
        response = requests.post(
            first.url + '/v1/stacks', json=body, timeout=30
        )
        assert response.status_code == 202, response.text
        stack_path = response.headers['Location']
        job_id = response.json()['job']['id']
        before = _poll(
            first.url + stack_path, lambda b: crash_when(b['stack'])
        )['stack']
        first.kill()
    finally:
        output = first.stop()
    job, stack = finish_on(
        KillableGunicorn(server_env, workers=2), job_id, stack_path, output
    )
    return before, job, stack


def finish_on(server, job_id, stack_path, earlier_output=''):
    """Start ``server``, wait for the job to end there; ``(job, stack)``.

    On failure, what the earlier server printed is shown with this one's.
    """
    server.start()
    try:
        job = _poll(
            server.url + '/v1/jobs/' + job_id,
            lambda b: (
                b['job']['status'] in ('succeeded', 'failed', 'cancelled')
            ),
        )['job']
        stack = requests.get(server.url + stack_path, timeout=10).json()[
            'stack'
        ]
    except BaseException:
        print(earlier_output, server.stop())
        raise
    server.stop()
    return job, stack


def _half_created(stack):
    ids = [n['provider_id'] for n in stack['nodes']]
    return any(ids) and not all(ids)


def test_a_creation_killed_half_way_is_resumed_and_nothing_is_orphaned(
    server_env,
):
    before, job, stack = _crash_and_restart(
        server_env,
        template(count=8, clouds=['default', 'sim-b']),
        _half_created,
    )
    assert job['status'] == 'succeeded', job
    assert job['attempts'] >= 2
    assert stack['status'] == 'active'
    assert [n['state'] for n in stack['nodes']] == ['running'] * 8
    # The ids recorded before the crash were kept, none was made twice.
    for old in before['nodes']:
        if old['provider_id']:
            assert old['provider_id'] in {
                n['provider_id'] for n in stack['nodes']
            }
    instance = server_env['MW_INSTANCE_PATH']
    for cloud in CLOUDS:
        assert provider_nodes(instance, cloud) == {
            n['provider_id']: n['name']
            for n in stack['nodes']
            if n['cloud'] == cloud
        }


def test_a_rollback_killed_half_way_is_finished(server_env):
    body = template(count=4, clouds=['default', 'sim-b'])
    body['groups'].append(broken_group())
    before, job, stack = _crash_and_restart(
        server_env,
        body,
        lambda s: (
            s['status'] == 'rolling_back'
            and any(
                n['state'] not in ('destroyed', 'failed') and n['provider_id']
                for n in s['nodes']
            )
        ),
    )
    assert job['status'] == 'failed', job
    assert job['error']['code'] == 'stack_failed'
    assert stack['status'] == 'rolled_back'
    assert {n['state'] for n in stack['nodes']} == {'destroyed'}
    instance = server_env['MW_INSTANCE_PATH']
    for cloud in CLOUDS:
        assert provider_nodes(instance, cloud) == {}
