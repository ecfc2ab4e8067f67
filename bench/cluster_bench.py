"""Scale-out: one big stack made by 1, 2 and 4 Celery workers.

A deployment as the guide describes it (one API host under gunicorn,
``mw worker`` processes, PostgreSQL, a Redis broker of its own) makes a
stack of ``--nodes`` nodes over ``--clouds`` simulated clouds, waits until
they run, and deletes it; once with each number of workers in
``--workers``, on a new database schema each time.  Each simulated cloud
answers every call after ``--latency`` seconds, the time a real provider
takes, and allows ``--calls-per-second`` calls (the call budget, shared by
every worker through the broker's Redis).  Each worker makes at most
``JOB_CONCURRENCY_PER_CLOUD`` calls to a cloud at once, so more workers
make more calls at once, within the budget.  Target: 4 workers take at
most 0.35 of the time 1 worker takes.

Each run starts timing once every worker answers and every cloud's sizes
and images have been listed once (so the inventory holds them): the pace
of a service that has been running, not the start of its processes.

Run: ``python bench/cluster_bench.py [--nodes 1000] [--clouds 8]
[--latency 1.0] [--workers 1,2,4] [--concurrency 8] [--fanout 25]``
"""

import argparse
import datetime
import sys
import tempfile
import time

import common  # noqa: F401  (the checkout on the path)
import prettytable
import requests

from tests.storage.backends import drop_schema, postgres_schema_url
from tests.support.brokers import RedisBroker
from tests.support.cluster import (
    Cluster,
    simulated_farm,
    stack_template,
    wait_for,
)

#: The most time 4 workers may take, as a share of 1 worker's.
TARGET = 0.35


def wait_until_warm(cluster, broker_url, clouds, workers):
    """Until every worker takes messages, then list every cloud's sizes
    and images once (as any client of a running service has), so that
    the inventory holds them: the figures are the workers' pace, not the
    start of the service."""
    import celery

    app = celery.Celery('bench', broker=broker_url, set_as_current=False)
    try:
        wait_for(
            lambda: len(app.control.ping(timeout=1.0)) >= workers,
            120,
            0.5,
            '%d workers answering' % workers,
        )
    finally:
        app.close()
    for cloud in clouds:
        for kind in ('sizes', 'images'):
            answer = requests.get(
                '%s/v1/clouds/%s/%s' % (cluster.url(), cloud, kind),
                timeout=60,
            )
            answer.raise_for_status()


def _wait_for(cluster, job):
    """The job once it has ended.  Asked often (the time measured is the
    job's, not the poll's), from the list of jobs of its kind: the answer
    about one job carries its steps, a thousand for a big stack, and
    building it ten times a second would take the workers' CPU."""

    def ended():
        page = requests.get(
            '%s/v1/jobs' % cluster.url(),
            params={'kind': job['kind'], 'limit': 10},
            timeout=60,
        ).json()
        for found in page['jobs']:
            if found['id'] == job['id'] and found['status'] in (
                'succeeded',
                'failed',
                'cancelled',
            ):
                return found
        return None

    return wait_for(ended, 3600, 0.1, 'the end of job %s' % job['id'])


def timeline(cluster, stack_id, wall):
    """When, after the ``POST`` (at ``wall``), the first and last node were
    created and the stack became active: from the stack's events."""
    seen, marker = {}, None
    while True:
        page = requests.get(
            '%s/v1/stacks/%s/events' % (cluster.url(), stack_id),
            params=dict(limit=500, **({'marker': marker} if marker else {})),
            timeout=60,
        ).json()
        for event in page['events']:
            at = datetime.datetime.fromisoformat(event['created_at'])
            at = at.timestamp() - wall
            first, last = seen.get(event['kind'], (at, at))
            seen[event['kind']] = (min(first, at), max(last, at))
        marker = page.get('next_marker')
        if not marker:
            break
    created = seen.get('node.created', (0, 0))
    return 'nodes created from %.1f s to %.1f s, active at %.1f s' % (
        created[0],
        created[1],
        seen.get('stack.active', (0, 0))[0],
    )


def run(args, workers):
    """``(create seconds, delete seconds)`` with ``workers`` workers."""
    farm = simulated_farm(
        args.clouds,
        boot_time=args.boot_time,
        latency=args.latency,
    )
    for entry in farm.values():
        entry['CALLS_PER_SECOND'] = args.calls_per_second
    url, schema = postgres_schema_url()
    broker = RedisBroker()
    broker.start()
    cluster = Cluster(
        tempfile.mkdtemp(prefix='mw-cluster-bench-'),
        url,
        broker.url,
        farm,
        api_hosts=1,
        workers=workers,
        concurrency=args.concurrency,
        lease=30,
        per_cloud=args.per_cloud,
        # Within PostgreSQL's 100 connections, with 4 workers and the API.
        extra_env={
            'MW_LOG_LEVEL': 'WARNING',
            'MW_DATABASE_MAX_OVERFLOW': '5',
            'MW_JOB_FANOUT_NODES': str(args.fanout),
        },
    )
    try:
        cluster.start()
        wait_until_warm(cluster, broker.url, sorted(farm), workers)
        per_cloud = args.nodes // args.clouds
        started, wall = time.monotonic(), time.time()
        answer = requests.post(
            cluster.url() + '/v1/stacks',
            json=stack_template('bench', farm, per_cloud),
            timeout=120,
        ).json()
        job = _wait_for(cluster, answer['job'])
        made = time.monotonic() - started
        assert job['status'] == 'succeeded', job
        print(
            '  %d worker(s): %s'
            % (workers, timeline(cluster, answer['stack']['id'], wall)),
            flush=True,
        )
        if not args.delete:
            return made, None
        started = time.monotonic()
        answer = requests.delete(
            '%s/v1/stacks/%s' % (cluster.url(), answer['stack']['id']),
            timeout=120,
        ).json()
        job = _wait_for(cluster, answer['job'])
        deleted = time.monotonic() - started
        assert job['status'] == 'succeeded', job
        return made, deleted
    finally:
        cluster.stop()
        broker.close()
        drop_schema(schema)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--nodes', type=int, default=1000)
    parser.add_argument('--clouds', type=int, default=8)
    parser.add_argument('--latency', type=float, default=1.0)
    parser.add_argument('--boot-time', type=float, default=1.0)
    parser.add_argument('--calls-per-second', type=float, default=100)
    parser.add_argument('--per-cloud', type=int, default=4)
    parser.add_argument('--concurrency', type=int, default=8)
    parser.add_argument(
        '--fanout',
        type=int,
        default=25,
        help='JOB_FANOUT_NODES: nodes per child job',
    )
    parser.add_argument('--workers', default='1,2,4')
    parser.add_argument(
        '--delete',
        action='store_true',
        help='also time the deletion (one job, on one worker)',
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(',')]
    results = {}
    for workers in counts:
        results[workers] = run(args, workers)
        print(
            '%d worker(s): active in %.1f s' % (workers, results[workers][0]),
            flush=True,
        )
    table = prettytable.PrettyTable(
        ['workers', 'create s', 'nodes/s', 'ratio to 1', 'delete s']
    )
    base = results[counts[0]][0]
    for workers in counts:
        made, deleted = results[workers]
        table.add_row(
            [
                workers,
                '%.1f' % made,
                '%.1f' % (args.nodes / made),
                '%.2f' % (made / base),
                '-' if deleted is None else '%.1f' % deleted,
            ]
        )
    print(table)
    ratio = results[counts[-1]][0] / base
    met = ratio <= TARGET
    print(
        'target: %d workers in at most %.2f of the time of %d: %.2f (%s)'
        % (counts[-1], TARGET, counts[0], ratio, 'met' if met else 'MISSED')
    )
    return 0 if met else 1


if __name__ == '__main__':
    sys.exit(main())
