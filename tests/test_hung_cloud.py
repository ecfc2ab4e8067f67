"""A cloud that never answers cannot take the service's workers.

The service runs as the deployment guide says (``gunicorn -w 2 --threads 8
dispatcher:app``).  As many requests as it has threads in all wait on a
cloud whose provider accepts connections and never answers; meanwhile
requests to a healthy cloud answer in a small fraction of the provider
timeout, and each request to the hung cloud ends with a 503 or a 504 of its
own, never a 500.
"""

import concurrent.futures
import time

import requests

from tests.support.servers import GunicornServer

WORKERS, THREADS = 2, 8
TIMEOUT = 8.0

FARM = """
class CloudConfig(object):
    CLOUD_FARM = {
        'hung': {'ENGINE': 'simulator', 'TIMEOUT': %r,
                 'EXTRA_PARAMS': {'fail_with': 'hang', 'failure_rate': 1.0,
                                  'hang_seconds': 60}},
        'healthy': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0}},
    }
CIRCUIT_FAILURES = 0
""" % (TIMEOUT,)


def test_a_hung_cloud_leaves_threads_for_the_others(tmp_path):
    settings = tmp_path / 'settings.py'
    settings.write_text(FARM)
    server = GunicornServer(
        {
            'MW_SETTINGS': str(settings),
            'MW_INSTANCE_PATH': str(tmp_path / 'instance'),
            'MW_LOG_LEVEL': 'WARNING',
            'MW_AUTH_ENABLED': 'false',
        },
        workers=WORKERS,
        extra_args=['--threads', str(THREADS), '--timeout', '60'],
    )
    server.start()
    try:
        healthy = server.url + '/v1/clouds/healthy/nodes?fresh=true'
        assert requests.get(healthy, timeout=10).status_code == 200
        body = {'name': 'stuck', 'size': 'small', 'image': 'img-debian-12'}
        with concurrent.futures.ThreadPoolExecutor(WORKERS * THREADS) as pool:
            stuck = [
                pool.submit(
                    requests.post,
                    server.url + '/v1/clouds/hung/nodes',
                    json=body,
                    timeout=3 * TIMEOUT,
                )
                for _ in range(WORKERS * THREADS // 2)
            ] + [
                pool.submit(
                    requests.get,
                    server.url + '/v1/clouds/hung/sizes?fresh=true',
                    timeout=3 * TIMEOUT,
                )
                for _ in range(WORKERS * THREADS // 2)
            ]
            time.sleep(1.0)
            took = []
            for _ in range(10):
                started = time.monotonic()
                answer = requests.get(healthy, timeout=TIMEOUT)
                took.append(time.monotonic() - started)
                assert answer.status_code == 200
            assert not all(f.done() for f in stuck)
            statuses = sorted(f.result().status_code for f in stuck)
        assert max(took) < TIMEOUT / 8, took
        assert set(statuses) <= {503, 504}, statuses
        assert 504 in statuses
        codes = {
            f.result().json()['error']['code']
            for f in stuck
            if f.result().status_code == 503
        }
        assert codes <= {'cloud_busy'}, codes
    finally:
        server.stop()
