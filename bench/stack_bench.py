"""Stacks: 100 nodes over 4 simulated clouds against a serial libcloud loop.

Each simulated cloud answers every call after ``--latency`` seconds (the
simulator applies its latency to every call, not only to creation) and
boots a node in ``--boot-time`` seconds.  The service (gunicorn, one
worker, default settings) creates a stack of ``--nodes`` nodes spread over
the clouds, waits until they run and deletes it again, ``--stacks`` times
in a row; the serial loop creates, waits for and destroys the same kind of
nodes one after the other through libcloud directly, on ``--serial-nodes``
nodes, scaled linearly to ``--nodes``.  Targets: the stack is active in at
most 0.1 of the serial loop's time, and the worker's memory stays flat over
the stacks.

Run: ``python bench/stack_bench.py [--nodes 100] [--clouds 4]
[--latency 0.2] [--boot-time 1.0] [--stacks 10] [--serial-nodes 10]``
"""

import argparse
import os
import shutil
import tempfile
import time

import prettytable
import requests
from common import write_settings

from dispatcher.lib.simulator import SimulatorNodeDriver
from tests.support.servers import GunicornServer

FINAL = ('succeeded', 'failed', 'cancelled')


def _memory(pid):
    """``(rss, peak)`` of process ``pid`` in MB."""
    values = {}
    with open('/proc/%d/status' % pid) as handle:
        for line in handle:
            name, _, rest = line.partition(':')
            if name in ('VmRSS', 'VmHWM'):
                values[name] = int(rest.split()[0]) / 1024.0
    return values['VmRSS'], values['VmHWM']


def _worker_pid(master):
    with open('/proc/%d/task/%d/children' % (master, master)) as handle:
        children = handle.read().split()
    assert len(children) == 1, children
    return int(children[0])


def _wait(session, url, job_id):
    while True:
        job = session.get('%s/v1/jobs/%s' % (url, job_id), timeout=60).json()[
            'job'
        ]
        if job['status'] in FINAL:
            assert job['status'] == 'succeeded', job
            return job
        time.sleep(0.1)


def run_stack(session, url, clouds, nodes, number):
    """``(seconds to active, seconds to deleted)`` of one stack."""
    body = {
        'name': 'bench-%d' % number,
        'groups': [
            {
                'name': 'web',
                'clouds': clouds,
                'size': 'small',
                'image': 'img-ubuntu-24.04',
                'count': nodes,
            }
        ],
    }
    started = time.perf_counter()
    answer = session.post(url + '/v1/stacks', json=body, timeout=60).json()
    _wait(session, url, answer['job']['id'])
    active = time.perf_counter() - started
    started = time.perf_counter()
    answer = session.delete(
        '%s/v1/stacks/%s' % (url, answer['stack']['id']), timeout=60
    ).json()
    _wait(session, url, answer['job']['id'])
    return active, time.perf_counter() - started


def run_serial(folder, clouds, nodes, latency, boot_time):
    """Seconds of the serial loop: each node created, waited for and
    destroyed before the next (size and image looked up once per cloud)."""
    drivers = [
        SimulatorNodeDriver(
            'bench',
            state_path=os.path.join(folder, '%s.sqlite' % name),
            latency=latency,
            boot_time=boot_time,
        )
        for name in clouds
    ]
    started = time.perf_counter()
    catalogue = [
        (
            [s for s in d.list_sizes() if s.id == 'small'][0],
            d.get_image('img-ubuntu-24.04'),
        )
        for d in drivers
    ]
    for number in range(nodes):
        driver = drivers[number % len(drivers)]
        size, image = catalogue[number % len(drivers)]
        node = driver.create_node(
            name='serial-%d' % number, size=size, image=image
        )
        while driver.ex_get_node(node.id).state.value != 'running':
            time.sleep(0.05)
        driver.destroy_node(node)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--nodes', type=int, default=100)
    parser.add_argument('--clouds', type=int, default=4)
    parser.add_argument('--latency', type=float, default=0.2)
    parser.add_argument('--boot-time', type=float, default=1.0)
    parser.add_argument('--stacks', type=int, default=10)
    parser.add_argument('--serial-nodes', type=int, default=10)
    args = parser.parse_args()

    clouds = ['cloud-%d' % n for n in range(args.clouds)]
    farm = {
        name: {
            'ENGINE': 'simulator',
            'EXTRA_PARAMS': {
                'latency': args.latency,
                'boot_time': args.boot_time,
            },
        }
        for name in clouds
    }
    folder = tempfile.mkdtemp(prefix='mw-stack-bench-')
    server = GunicornServer(write_settings(folder, farm), workers=1)
    server.start()
    try:
        worker = _worker_pid(server.process.pid)
        session = requests.Session()
        rows, samples = [], []
        for number in range(args.stacks):
            active, deleted = run_stack(
                session, server.url, clouds, args.nodes, number
            )
            rss, peak = _memory(worker)
            samples.append((active, deleted, rss, peak))
            rows.append(
                [
                    number + 1,
                    '%.2f' % active,
                    '%.2f' % deleted,
                    '%.1f' % rss,
                    '%.1f' % peak,
                ]
            )
    finally:
        server.stop()
    serial_folder = os.path.join(folder, 'serial')
    total = run_serial(
        serial_folder, clouds, args.serial_nodes, args.latency, args.boot_time
    )
    scale = float(args.nodes) / args.serial_nodes
    shutil.rmtree(folder, ignore_errors=True)

    table = prettytable.PrettyTable(
        [
            'stack',
            'active (s)',
            'deleted (s)',
            'worker RSS (MB)',
            'peak RSS (MB)',
        ]
    )
    for row in rows:
        table.add_row(row)
    print(table)
    best = min(s[0] for s in samples)
    median = sorted(s[0] for s in samples)[len(samples) // 2]
    serial = total * scale
    print(
        'serial loop: %d nodes in %.1f s, scaled to %d nodes: %.1f s'
        % (args.serial_nodes, total, args.nodes, serial)
    )
    print(
        'stack of %d nodes active in %.2f s (median of %d), %.3f of the '
        'serial loop (target <= 0.1)'
        % (args.nodes, median, len(samples), median / serial)
    )
    print(
        'best %.2f s; worker RSS after the first stack %.1f MB, after the '
        'last %.1f MB; peak %.1f MB'
        % (best, samples[0][2], samples[-1][2], samples[-1][3])
    )


if __name__ == '__main__':
    main()
