"""Stacks over faulty clouds: 429 bursts and 5xx, against no faults.

A stack of ``--nodes`` nodes is spread over 4 simulated clouds served by
gunicorn (one worker): ``throttled`` answers 429 (``Retry-After: 1``) to
every call in the first 3 s of each 10 s (30% of the time) and has a call
budget of ``--budget`` calls a second; ``flaky`` fails 10% of its calls
with a 500; the other two are sound.  The faults hit the calls a stack's
job makes (create, destroy, list).  The same stack over four sound clouds is
the baseline.  Bounds: the faulty stack ends active with 0 failed nodes and
exactly its nodes at the providers (none lost, none made twice), and the
calls observed at ``throttled`` stay within its budget.

Run: ``python bench/faults_bench.py [--nodes 200] [--latency 0.05]
[--budget 20]``
"""

import argparse
import shutil
import tempfile
import time

import requests
from common import state_path, write_settings

from dispatcher.lib.simulator import SimulatorNodeDriver
from tests.support.servers import GunicornServer

FINAL = ('succeeded', 'failed', 'cancelled')
JOB_CALLS = ['create_node', 'destroy_node', 'list_nodes']


def farm(latency, budget, faults):
    sound = {'latency': latency, 'boot_time': 0.5}
    clouds = {name: dict(sound) for name in ('throttled', 'flaky', 'a', 'b')}
    if faults:
        clouds['throttled'].update(
            fail_with='rate_limit',
            failure_rate=1.0,
            fail_in_bursts=[3, 10],
            retry_after=1,
            fail_operations=JOB_CALLS,
        )
        clouds['flaky'].update(
            fail_with='server_error',
            failure_rate=0.1,
            fail_operations=JOB_CALLS,
            seed=7,
        )
    entries = {
        name: {'ENGINE': 'simulator', 'EXTRA_PARAMS': params}
        for name, params in clouds.items()
    }
    entries['throttled']['CALLS_PER_SECOND'] = budget
    return entries


def calls_at(url, cloud):
    """Provider calls the service made to ``cloud`` (``/metrics``)."""
    text = requests.get(url + '/metrics', timeout=30).text
    total = 0.0
    for line in text.splitlines():
        if line.startswith('mw_provider_calls_total{') and (
            'cloud="%s"' % cloud in line
        ):
            total += float(line.rsplit(' ', 1)[1])
    return total


def run(nodes, latency, budget, faults):
    folder = tempfile.mkdtemp(prefix='mw-faults-bench-')
    env = write_settings(folder, farm(latency, budget, faults))
    env['MW_JOB_RETRY_SECONDS'] = '300'
    server = GunicornServer(env, workers=1)
    server.start()
    try:
        body = {
            'name': 'faulty' if faults else 'sound',
            'groups': [
                {
                    'name': 'web',
                    'clouds': ['throttled', 'flaky', 'a', 'b'],
                    'size': 'small',
                    'image': 'img-ubuntu-24.04',
                    'count': nodes,
                }
            ],
        }
        started = time.perf_counter()
        answer = requests.post(
            server.url + '/v1/stacks', json=body, timeout=60
        )
        assert answer.status_code == 202, answer.text
        job_id = answer.json()['job']['id']
        while True:
            job = requests.get(
                server.url + '/v1/jobs/' + job_id, timeout=60
            ).json()['job']
            if job['status'] in FINAL:
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        stack = requests.get(
            server.url + answer.headers['Location'], timeout=60
        ).json()['stack']
        throttled_calls = calls_at(server.url, 'throttled')
    finally:
        server.stop()
    at_providers = []
    for cloud in ('throttled', 'flaky', 'a', 'b'):
        driver = SimulatorNodeDriver(
            'bench', state_path=state_path(folder, cloud)
        )
        at_providers.extend(n.name for n in driver.list_nodes())
    shutil.rmtree(folder, ignore_errors=True)
    ours = sorted(n['name'] for n in stack['nodes'])
    return {
        'status': job['status'],
        'seconds': seconds,
        'failed': sum(1 for n in stack['nodes'] if n['state'] != 'running'),
        'lost': len(set(ours) - set(at_providers)),
        'twice': len(at_providers) - len(set(at_providers)),
        'orphans': len(set(at_providers) - set(ours)),
        'throttled_rate': throttled_calls / seconds,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--nodes', type=int, default=200)
    parser.add_argument('--latency', type=float, default=0.05)
    parser.add_argument('--budget', type=int, default=20)
    args = parser.parse_args()
    sound = run(args.nodes, args.latency, args.budget, faults=False)
    faulty = run(args.nodes, args.latency, args.budget, faults=True)
    for name, result in (('sound clouds', sound), ('faulty clouds', faulty)):
        print(
            '%-14s %s in %.1f s; failed %d, lost %d, made twice %d, '
            'orphans %d; calls to throttled: %.1f/s (budget %d)'
            % (
                name,
                result['status'],
                result['seconds'],
                result['failed'],
                result['lost'],
                result['twice'],
                result['orphans'],
                result['throttled_rate'],
                args.budget,
            )
        )
    ok = (
        faulty['status'] == 'succeeded'
        and faulty['failed'] == faulty['lost'] == 0
        and faulty['twice'] == faulty['orphans'] == 0
        and faulty['throttled_rate'] <= args.budget
    )
    print(
        'faulty/sound time: %.2f; bounds %s'
        % (faulty['seconds'] / sound['seconds'], 'met' if ok else 'NOT met')
    )
    raise SystemExit(0 if ok else 1)


if __name__ == '__main__':
    main()
