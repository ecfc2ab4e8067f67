"""The service over real HTTP: gunicorn workers and the development server."""

import os
import subprocess
import sys

import requests

from tests.conftest import ROOT
from tests.support.servers import GunicornServer, free_port, wait_until_serving

FARM = """
class CloudConfig(object):
    CLOUD_FARM = {
        'default': {'ENGINE': 'simulator',
                    'EXTRA_PARAMS': {'boot_time': 0}},
        'other': {'ENGINE': 'simulator',
                  'EXTRA_PARAMS': {'boot_time': 0}},
    }
"""


def _environment(tmp_path):
    settings = tmp_path / 'settings.py'
    settings.write_text(FARM)
    return {
        'MW_SETTINGS': str(settings),
        'MW_INSTANCE_PATH': str(tmp_path / 'instance'),
        'MW_LOG_LEVEL': 'WARNING',
        # Local processes on 127.0.0.1: no token needed.
        'MW_AUTH_ENABLED': 'false',
    }


def test_gunicorn_workers_share_one_simulated_cloud(tmp_path):
    server = GunicornServer(_environment(tmp_path), workers=3)
    server.start()
    try:
        created = requests.post(
            server.url + '/v1/clouds/default/nodes',
            json={
                'name': 'shared-1',
                'size': 'small',
                'image': 'img-debian-12',
            },
            timeout=10,
        )
        assert created.status_code == 201
        node_id = created.json()['node']['id']
        assert created.headers['Location'].endswith(
            '/v1/clouds/default/nodes/' + node_id
        )
        for _ in range(30):
            # A new connection each time, so every worker answers some.
            listed = requests.get(server.url + '/v1/nodes', timeout=10).json()
            assert [n['id'] for n in listed['nodes']] == [node_id]
    finally:
        output = server.stop()
    assert 'Traceback' not in output


def test_simulated_cloud_survives_a_restart(tmp_path):
    environment = _environment(tmp_path)
    server = GunicornServer(environment, workers=1)
    server.start()
    try:
        node = requests.post(
            server.url + '/v1/clouds/other/nodes',
            json={
                'name': 'durable',
                'size': 'small',
                'image': 'img-debian-12',
            },
            timeout=10,
        ).json()['node']
    finally:
        server.stop()
    server = GunicornServer(environment, workers=2)
    server.start()
    try:
        shown = requests.get(
            server.url + '/v1/clouds/other/nodes/' + node['id'], timeout=10
        )
        assert shown.status_code == 200
        assert shown.json()['node']['name'] == 'durable'
    finally:
        server.stop()


def test_runserver_serves_the_api(tmp_path):
    port = free_port()
    environment = dict(os.environ, MW_PORT=str(port), **_environment(tmp_path))
    process = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, 'middleware', 'runserver.py')],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = 'http://127.0.0.1:%d' % port
        wait_until_serving(url + '/healthz', process=process)
        clouds = requests.get(url + '/v1/clouds', timeout=10).json()['clouds']
        assert [c['name'] for c in clouds] == ['default', 'other']
    finally:
        process.terminate()
        process.wait(10)


def test_importing_the_package_builds_no_app(tmp_path):
    code = (
        'import dispatcher, sys; '
        'sys.exit(1 if dispatcher._app is not None else 0)'
    )
    environment = dict(
        os.environ,
        PYTHONPATH=os.path.join(ROOT, 'middleware'),
        **_environment(tmp_path),
    )
    subprocess.run([sys.executable, '-c', code], env=environment, check=True)
    assert not (tmp_path / 'instance').exists()
