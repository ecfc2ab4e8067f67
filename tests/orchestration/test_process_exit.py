"""A process that exits while a job runs hands the job on: it never fails.

The process here exits the plain way (its main thread returns, as a
gunicorn worker's does after SIGTERM), with no ``close_app``: Python's own
exit hooks then stop the thread pools of ``concurrent.futures``, which the
clouds' calls run on.  The job must notice its process stopping and give
its lease up, with its state kept, before its clouds refuse calls; the next
process finishes it.
"""

import json
import os
import subprocess
import sys
import time

from dispatcher import close_app, create_app
from tests.conftest import ROOT

SETTINGS = {
    'AUTH_ENABLED': False,
    'LOG_LEVEL': 'INFO',
    'JOB_LEASE_SECONDS': 2,
    'PROVIDER_TIMEOUT': 10.0,
    'CLOUD_FARM': {
        'slow': {
            'ENGINE': 'simulator',
            'MAX_CONCURRENCY': 1,
            'EXTRA_PARAMS': {'boot_time': 0.0, 'latency': 0.3},
        }
    },
}

TEMPLATE = {
    'name': 'exiting',
    'groups': [
        {
            'name': 'web',
            'cloud': 'slow',
            'size': 'small',
            'image': 'img-debian-12',
            'count': 6,
        }
    ],
}

#: Starts the stack, waits until a node is made, then returns from the
#: main thread while the job's thread is on its next provider call.  The
#: exit takes a while after Python's thread pools have stopped (as a
#: server's other exit handlers do): time enough for a job that did not
#: notice the exit to fail on a cloud that refuses calls.
SCRIPT = """
import atexit, json, sys, time
atexit.register(time.sleep, 2.0)
from dispatcher import create_app
app = create_app(json.loads(sys.argv[1]))
client = app.test_client()
answer = client.post('/v1/stacks', json=json.loads(sys.argv[2])).get_json()
job_id = answer['job']['id']
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    job = client.get('/v1/jobs/' + job_id).get_json()['job']
    if job['progress']['done'] >= 1:
        break
    time.sleep(0.02)
print(json.dumps({'job': job_id, 'stack': answer['stack']['id']}))
sys.stdout.flush()
"""


def test_a_process_exiting_mid_job_hands_it_on(tmp_path):
    settings = dict(SETTINGS, INSTANCE_PATH=str(tmp_path / 'instance'))
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [os.path.join(ROOT, 'middleware'), env.get('PYTHONPATH', '')]
    )
    done = subprocess.run(
        [
            sys.executable,
            '-c',
            SCRIPT,
            json.dumps(settings),
            json.dumps(TEMPLATE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    started = json.loads(done.stdout.strip().splitlines()[-1])
    assert 'failed unexpectedly' not in done.stderr
    assert 'cannot schedule new futures' not in done.stderr
    assert 'resumes elsewhere' in done.stderr, done.stderr

    app = create_app(settings)
    try:
        client = app.test_client()
        job = client.get('/v1/jobs/' + started['job']).get_json()['job']
        assert job['status'] in ('queued', 'running'), job
        deadline = time.monotonic() + 60
        while job['status'] not in ('succeeded', 'failed', 'cancelled'):
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
            job = client.get('/v1/jobs/' + started['job']).get_json()['job']
        assert job['status'] == 'succeeded', job
        assert all(step['status'] == 'succeeded' for step in job['steps'])
        stack = client.get('/v1/stacks/' + started['stack']).get_json()
        assert stack['stack']['status'] == 'active'
        assert stack['stack']['node_counts'] == {'running': 6}
        listed = client.get('/v1/clouds/slow/nodes').get_json()['nodes']
        assert len(listed) == 6
    finally:
        close_app(app)
