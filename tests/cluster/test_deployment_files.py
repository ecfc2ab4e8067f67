"""The deployment guide's files run the commands the scale-out tests run,
and ``mw worker`` refuses clearly what it cannot do."""

import os
import shlex
import subprocess
import sys

import yaml

from dispatcher import close_app, create_app
from dispatcher.jobs import executor_of
from dispatcher.jobs.celery_executor import CeleryExecutor
from dispatcher.jobs.inprocess import InProcessExecutor
from tests.support.cluster import Cluster
from tests.support.servers import ROOT

DEPLOY = os.path.join(ROOT, 'deploy')


def compose_commands():
    with open(os.path.join(DEPLOY, 'compose.yaml')) as handle:
        services = yaml.safe_load(handle)['services']
    return {
        name: shlex.split(service['command'].split('&&')[-1].strip(' "'))
        for name, service in services.items()
        if name in ('api', 'worker')
    }


def unit_command(name):
    with open(os.path.join(DEPLOY, 'systemd', name)) as handle:
        for line in handle:
            if line.startswith('ExecStart='):
                return shlex.split(line.split('=', 1)[1])


def test_the_api_hosts_run_gunicorn_as_the_tests_do(tmp_path):
    tested = Cluster(tmp_path, 'sqlite://', 'redis://x', {}).api[0].args
    for command in (compose_commands()['api'], unit_command('mw-api.service')):
        assert os.path.basename(command[0]) == 'gunicorn'
        assert command[-1] == tested[-1] == 'dispatcher:app'
        threads = command[command.index('--threads') + 1]
        assert tested[tested.index('--threads') + 1] == threads


def test_the_workers_run_mw_worker_as_the_tests_do(tmp_path):
    worker = Cluster(tmp_path, 'sqlite://', 'redis://x', {}, workers=1)
    tested = worker.workers[0]
    for command in (
        compose_commands()['worker'],
        unit_command('mw-worker.service'),
    ):
        assert os.path.basename(command[0]) == 'mw'
        assert command[1] == 'worker' and '--concurrency' in command
    # The tests run the same command through the module ``mw`` runs.
    assert tested.args[1:4] == ['-m', 'dispatcher.cli', 'worker']
    assert '--concurrency' in tested.args
    assert tested.env['MW_BROKER_URL'] == 'redis://x'


def test_mw_worker_without_a_broker_says_what_to_set(tmp_path):
    env = dict(os.environ, MW_INSTANCE_PATH=str(tmp_path))
    env.pop('MW_BROKER_URL', None)
    done = subprocess.run(
        [sys.executable, '-m', 'dispatcher.cli', 'worker'],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert 'MW_BROKER_URL' in done.stderr


def test_a_broker_url_chooses_the_celery_executor(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith('MW_'):
            monkeypatch.delenv(name)
    settings = {
        'INSTANCE_PATH': str(tmp_path),
        'AUTH_ENABLED': False,
        'CLOUD_FARM': {},
    }
    app = create_app(settings)
    try:
        assert isinstance(executor_of(app), InProcessExecutor)
    finally:
        close_app(app)
    # Nothing connects to the broker until a job is sent.
    app = create_app(dict(settings, BROKER_URL='redis://127.0.0.1:1/0'))
    try:
        executor = executor_of(app)
        assert isinstance(executor, CeleryExecutor)
        assert executor.spreads_jobs and not executor.runs_periodic
    finally:
        close_app(app)
