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


def write_settings(folder, farm, auth=False):
    """A settings file holding ``farm``; returns the environment to use it.

    With ``auth`` the service checks tokens as it does by default, and its
    first-run admin token is in ``<instance>/admin-token``.
    """
    path = os.path.join(folder, 'settings.py')
    with open(path, 'w') as handle:
        handle.write(
            'class CloudConfig(object):\n    CLOUD_FARM = %r\n' % (farm,)
        )
    return {
        'MW_SETTINGS': path,
        'MW_INSTANCE_PATH': os.path.join(folder, 'instance'),
        'MW_LOG_LEVEL': 'WARNING',
        'MW_AUTH_ENABLED': 'true' if auth else 'false',
        # The benchmarks measure the service, not its rate limit.
        'MW_RATE_LIMIT_PER_MINUTE': '0',
    }


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

    def __init__(self, farm, workers=2, extra_args=()):
        self.folder = tempfile.mkdtemp(prefix='mw-bench-')
        self.server = GunicornServer(
            write_settings(self.folder, farm, auth=True),
            workers=workers,
            extra_args=extra_args,
        )

    def __enter__(self):
        self.server.start()
        return self

    def __exit__(self, *exc_info):
        self.server.stop()

    @property
    def url(self):
        return self.server.url

    @property
    def headers(self):
        """The headers of an admin request (the first-run token)."""
        path = os.path.join(self.folder, 'instance', 'admin-token')
        with open(path) as handle:
            return {'X-Auth-Token': handle.read().strip()}
