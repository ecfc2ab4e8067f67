"""Overhead: ``GET /v1/clouds/<c>/nodes`` through gunicorn vs. the driver.

A zero-latency simulated cloud holds 100 nodes.  The list is read as
callers read it, from the service's inventory (``bench/inventory_bench.py``
measures that path further).  The baseline is the direct
libcloud call (``list_nodes()`` on the same cloud); the service's answer
adds the HTTP round trip, the token check, the worker thread hop, the
conversion to the API's value objects and JSON.  Reports the added
milliseconds at the median (target: under 3 ms) and the requests per
second of a few concurrent clients.

Run: ``python bench/overhead.py [--nodes 100] [--repeat 200] [--clients 4]``
"""

import argparse
import concurrent.futures
import http.client
import json
import time
import urllib.parse

from common import Service, median_ms, state_path, timed

from dispatcher.lib.simulator import SimulatorNodeDriver


def _fill(driver, count):
    for number in range(count):
        driver.create_node(
            name='node-%d' % number, size='small', image='img-debian-12'
        )


def _get(url, headers):
    """One GET with the standard library's client: the least a caller adds."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30
    )
    try:
        connection.request(
            'GET', parts.path + '?' + parts.query, headers=headers
        )
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError('%s answered %s' % (url, response.status))
        return body
    finally:
        connection.close()


def _throughput(url, headers, clients, seconds):
    deadline = time.monotonic() + seconds

    def client():
        done = 0
        while time.monotonic() < deadline:
            _get(url, headers)
            done += 1
        return done

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        total = sum(pool.map(lambda _: client(), range(clients)))
    return total / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--nodes', type=int, default=100)
    parser.add_argument('--repeat', type=int, default=200)
    parser.add_argument('--clients', type=int, default=4)
    parser.add_argument('--seconds', type=float, default=5.0)
    parser.add_argument('--workers', type=int, default=2)
    args = parser.parse_args()

    farm = {
        'default': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0}}
    }
    with Service(farm, workers=args.workers) as service:
        driver = SimulatorNodeDriver(
            'bench',
            state_path=state_path(service.folder, 'default'),
            boot_time=0,
        )
        _fill(driver, args.nodes)
        url = service.url + '/v1/clouds/default/nodes?limit=%d' % args.nodes

        headers = service.headers
        assert len(json.loads(_get(url, headers))['nodes']) == args.nodes

        def api():
            # The answer is read, not parsed: the caller's JSON decoding is
            # not the service's overhead.
            _get(url, headers)

        for _ in range(20):
            api()
        direct_samples = timed(driver.list_nodes, args.repeat)
        api_samples = timed(api, args.repeat)
        rps = _throughput(url, headers, args.clients, args.seconds)

    direct_ms, api_ms = median_ms(direct_samples), median_ms(api_samples)
    added = api_ms - direct_ms
    print(
        'nodes=%d repeat=%d workers=%d'
        % (args.nodes, args.repeat, args.workers)
    )
    print('direct list_nodes()     median %7.2f ms' % direct_ms)
    print('GET .../nodes (HTTP)    median %7.2f ms' % api_ms)
    print(
        'added by the service    median %7.2f ms  (target < 3 ms: %s)'
        % (added, 'met' if added < 3 else 'MISSED')
    )
    print('throughput, %d clients  %9.0f requests/s' % (args.clients, rps))
    return 0 if added < 3 else 1


if __name__ == '__main__':
    raise SystemExit(main())
