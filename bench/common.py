"""What the benchmarks share: a farm on disk, a gunicorn, timing."""

import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'middleware'))
sys.path.insert(0, ROOT)

from tests.support.servers import GunicornServer  # noqa: E402


def write_settings(folder, farm):
    """A settings file holding ``farm``; returns the environment to use it."""
    path = os.path.join(folder, 'settings.py')
    with open(path, 'w') as handle:
        handle.write('class CloudConfig(object):\n    CLOUD_FARM = %r\n'
                     % (farm,))
    return {'MW_SETTINGS': path,
            'MW_INSTANCE_PATH': os.path.join(folder, 'instance'),
            'MW_LOG_LEVEL': 'WARNING',
            # Local processes on 127.0.0.1: no token needed.
            'MW_AUTH_ENABLED': 'false'}


def state_path(folder, cloud):
    """Where the service keeps the simulated cloud ``cloud``."""
    return os.path.join(folder, 'instance', 'simulator', cloud + '.sqlite')


def timed(function, repeat):
    """Seconds of each of ``repeat`` calls of ``function``."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def median_ms(samples):
    return statistics.median(samples) * 1000.0


class Service(object):
    """gunicorn serving ``farm`` from a temporary folder, as a context."""

    def __init__(self, farm, workers=2):
        self.folder = tempfile.mkdtemp(prefix='mw-bench-')
        self.server = GunicornServer(write_settings(self.folder, farm),
                                     workers=workers)

    def __enter__(self):
        self.server.start()
        return self

    def __exit__(self, *exc_info):
        self.server.stop()

    @property
    def url(self):
        return self.server.url
