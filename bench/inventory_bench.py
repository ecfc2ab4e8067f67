"""The inventory: cached reads, freshness, and fresh reads sharing a call.

Three measures, each in one run:

1. **Cached reads.**  ``GET /v1/nodes?limit=100`` over the built-in farm
   (three simulated clouds, 100 nodes in all) through gunicorn with token
   checks on, against a static Flask page serving the same bytes under the
   same gunicorn settings, both measured in turns (``--rounds``).  Reports
   requests per second of both and their ratio (target: at least 0.6).
2. **Freshness.**  A node created through the API is in the very next list;
   a node created behind the service's back (in the simulated cloud's own
   state) is listed within one sync period.  Reports the period and both
   delays.
3. **Shared provider calls.**  100 concurrent ``?fresh=true`` reads of one
   cloud; reports how many provider list calls they cost (target: 1), read
   from the service's own ``/metrics``.

Run: ``python bench/inventory_bench.py [--seconds 8] [--clients 8]
[--rounds 4]``
"""

import argparse
import concurrent.futures
import json
import os
import sys
import tempfile
import threading
import time

from common import Service, state_path
from overhead import _get, _throughput

from dispatcher.lib.simulator import SimulatorNodeDriver
from dispatcher.settings import CloudConfig
from tests.support.metrics import value_of
from tests.support.servers import GunicornServer

#: The documented gunicorn settings: threaded workers.
THREADS = ('--threads', '8')

STATIC_APP = """
from flask import Flask, Response

app = Flask(__name__)
with open(%r, 'rb') as handle:
    BODY = handle.read()


@app.route('/healthz')
def healthz():
    return 'ok'


@app.route('/page')
def page():
    return Response(BODY, mimetype='application/json')
"""


def _static_server(body, workers):
    """gunicorn serving ``body`` at ``/page`` with the service's settings."""
    folder = tempfile.mkdtemp(prefix='mw-bench-static-')
    with open(os.path.join(folder, 'page.json'), 'wb') as handle:
        handle.write(body)
    with open(os.path.join(folder, 'static_app.py'), 'w') as handle:
        handle.write(STATIC_APP % os.path.join(folder, 'page.json'))
    server = GunicornServer({}, workers=workers, extra_args=THREADS)
    server.args[-1] = 'static_app:app'
    server.env['PYTHONPATH'] = folder + os.pathsep + server.env['PYTHONPATH']
    return server


def _fill(service, farm, count):
    """``count`` nodes spread over the clouds, made at the providers."""
    names = list(farm)
    for number in range(count):
        cloud = names[number % len(names)]
        SimulatorNodeDriver(
            'bench', state_path=state_path(service.folder, cloud)
        ).create_node(
            name='node-%03d' % number, size='small', image='img-debian-12'
        )


def cached_reads(args):
    farm = CloudConfig.CLOUD_FARM
    with Service(farm, args.workers, THREADS) as service:
        _fill(service, farm, 100)
        url = service.url + '/v1/nodes?limit=100'
        body = _get(url + '&fresh=true', service.headers)
        assert len(json.loads(body)['nodes']) == 100
        body = _get(url, service.headers)
        static = _static_server(body, args.workers)
        static.start()
        try:
            pages = [
                (url, service.headers),
                (static.url + '/page', {}),
            ]
            for page, headers in pages:
                for _ in range(50):
                    _get(page, headers)
            # Both measured in turns, so that a change of the machine's
            # pace during the run weighs on both alike.
            done = [0.0, 0.0]
            rounds = max(1, args.rounds)
            for number in range(rounds):
                order = (0, 1) if number % 2 == 0 else (1, 0)
                for index in order:
                    page, headers = pages[index]
                    done[index] += _throughput(
                        page, headers, args.clients, args.seconds / rounds
                    )
        finally:
            static.stop()
    service_rps, static_rps = done[0] / rounds, done[1] / rounds
    ratio = service_rps / static_rps
    print(
        'cached reads: GET /v1/nodes?limit=100, %d bytes, %d rounds'
        % (len(body), rounds)
    )
    print('  static page      %8.0f requests/s' % static_rps)
    print('  the service      %8.0f requests/s' % service_rps)
    print(
        '  ratio            %8.3f  (target >= 0.6: %s)'
        % (ratio, 'met' if ratio >= 0.6 else 'MISSED')
    )
    return ratio >= 0.6


def freshness(args):
    farm = {'default': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {}}}
    period = args.period
    with Service(farm, args.workers, THREADS) as service:
        _set_period(service, period)
        url = service.url + '/v1/clouds/default/nodes'
        _get(url, service.headers)
        created = _post(
            url,
            service.headers,
            {'name': 'via-api', 'size': 'small', 'image': 'img-debian-12'},
        )
        started = time.monotonic()
        listed = json.loads(_get(url + '?name=via-api', service.headers))
        api_delay = time.monotonic() - started
        assert [n['id'] for n in listed['nodes']] == [created['node']['id']]
        SimulatorNodeDriver(
            'bench', state_path=state_path(service.folder, 'default')
        ).create_node(name='behind', size='small', image='img-debian-12')
        started = time.monotonic()
        while True:
            listed = json.loads(_get(url + '?name=behind', service.headers))
            if listed['nodes']:
                break
            if time.monotonic() - started > 3 * period:
                break
            time.sleep(0.05)
        behind_delay = time.monotonic() - started
    print('freshness (sync period %.0f s)' % period)
    print('  created through the API: listed after %.3f s' % api_delay)
    print(
        '  created behind its back: listed after %.1f s (target <= %.0f s: '
        '%s)'
        % (
            behind_delay,
            period,
            'met' if behind_delay <= period + 1 else 'MISSED',
        )
    )
    return behind_delay <= period + 1


def shared_calls(args):
    farm = {
        'default': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'latency': 0.5}}
    }
    service = Service(farm, 1, ('--threads', str(args.readers)))
    # As many readers may wait on the cloud as there are threads.
    service.server.env['MW_REQUEST_CALLS_PER_CLOUD'] = str(args.readers)
    with service:
        url = service.url + '/v1/clouds/default/nodes'
        _get(url, service.headers)
        before = _list_calls(service)
        barrier = threading.Barrier(args.readers)

        def read(_):
            barrier.wait()
            return json.loads(_get(url + '?fresh=true', service.headers))

        with concurrent.futures.ThreadPoolExecutor(args.readers) as pool:
            answers = list(pool.map(read, range(args.readers)))
        calls = _list_calls(service) - before
    print(
        'shared calls: %d concurrent fresh reads, %d answers, %d provider '
        'list call(s) (target 1: %s)'
        % (
            args.readers,
            len(answers),
            calls,
            'met' if calls == 1 else 'MISSED',
        )
    )
    return calls == 1


def _list_calls(service):
    text = _get(service.url + '/metrics', service.headers).decode()
    return value_of(
        text,
        'mw_provider_calls_total',
        cloud='default',
        operation='list_nodes',
        outcome='ok',
    )


def _set_period(service, period):
    # The settings file is read by each worker at start: restart with it.
    service.server.stop()
    with open(service.server.env['MW_SETTINGS'], 'a') as handle:
        handle.write('COLLECTORS = {"cloud": {"period": %r}}\n' % period)
    service.server.start()


def _post(url, headers, body):
    import urllib.request

    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers=dict(headers, **{'Content-Type': 'application/json'}),
        method='POST',
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seconds', type=float, default=8.0)
    parser.add_argument('--clients', type=int, default=8)
    parser.add_argument('--rounds', type=int, default=4)
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--period', type=float, default=5.0)
    parser.add_argument('--readers', type=int, default=100)
    args = parser.parse_args()
    results = [cached_reads(args), freshness(args), shared_calls(args)]
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
