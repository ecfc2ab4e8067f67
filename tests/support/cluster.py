"""A whole deployment on this machine: API hosts, workers, one database,
one broker, one folder of simulated-cloud state.

Every part is a process of its own, started with the commands the
deployment guide gives (``gunicorn ... dispatcher:app``, ``mw worker``),
so that a test can kill or restart any of them.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

import requests

from tests.support.servers import ROOT, GunicornServer

SETTINGS = """
class CloudConfig(object):
    CLOUD_FARM = {farm!r}

JOB_LEASE_SECONDS = {lease!r}
CLUSTER_LEASE_SECONDS = {lease!r}
JOB_CONCURRENCY_PER_CLOUD = {per_cloud!r}
STACK_MAX_NODES = 2000
INVENTORY_ROUND_SECONDS = 0.5
LOG_LEVEL = 'INFO'
"""


def simulated_farm(clouds, boot_time=0.3, latency=0.05, **extra):
    """``clouds`` simulated clouds called ``sim-0``, ``sim-1``, ..."""
    params = dict(boot_time=boot_time, latency=latency, **extra)
    return {
        'sim-%d' % index: {'ENGINE': 'simulator', 'EXTRA_PARAMS': params}
        for index in range(clouds)
    }


class Worker(object):
    """``mw worker`` in a process of its own."""

    def __init__(self, env, concurrency):
        self.env = env
        self.concurrency = concurrency
        self.process = None
        self.log = None
        #: ``mw worker``, through the module the ``mw`` script runs.
        self.args = [
            sys.executable,
            '-m',
            'dispatcher.cli',
            'worker',
            '--concurrency',
            str(concurrency),
        ]

    def start(self):
        self.log = self.log or tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            self.args,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self):
        return self.process.pid

    def kill(self):
        """SIGKILL: the worker's host is lost, with its jobs half done."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self):
        self.stop()
        if self.log is not None:
            self.log.close()

    def output(self):
        if self.log is None:
            return ''
        self.log.seek(0)
        text = self.log.read().decode('utf-8', 'replace')
        self.log.seek(0, os.SEEK_END)
        return text


class Cluster(object):
    """API hosts and workers sharing ``database_url`` and ``broker_url``."""

    def __init__(
        self,
        folder,
        database_url,
        broker_url,
        farm,
        api_hosts=2,
        workers=2,
        concurrency=4,
        lease=4,
        per_cloud=4,
        extra_env=None,
    ):
        settings = os.path.join(str(folder), 'settings.py')
        with open(settings, 'w') as handle:
            handle.write(
                SETTINGS.format(farm=farm, lease=lease, per_cloud=per_cloud)
            )
        self.instance_path = os.path.join(str(folder), 'instance')
        #: Where :meth:`stop` keeps what every process printed.
        self.log_path = os.path.join(str(folder), 'cluster.log')
        self.env = {
            'MW_SETTINGS': settings,
            'MW_INSTANCE_PATH': self.instance_path,
            'MW_DATABASE_URL': database_url,
            'MW_BROKER_URL': broker_url,
            'MW_AUTH_ENABLED': 'false',
        }
        self.env.update(extra_env or {})
        process_env = dict(os.environ, **self.env)
        process_env['PYTHONPATH'] = os.pathsep.join(
            [
                os.path.join(ROOT, 'middleware'),
                os.environ.get('PYTHONPATH', ''),
            ]
        )
        self.api = [
            GunicornServer(self.env, workers=1, extra_args=['--threads', '8'])
            for _ in range(api_hosts)
        ]
        self.workers = [
            Worker(process_env, concurrency) for _ in range(workers)
        ]

    def start(self):
        # The first host makes the schema; the others find it made.
        for server in self.api:
            server.start()
        for worker in self.workers:
            worker.start()
        return self

    def stop(self):
        for worker in self.workers:
            worker.stop()
        for server in self.api:
            server.stop_only()
        # Kept beside the test's files (pytest keeps the last runs'), so a
        # failure can be read whole after the run.
        with open(self.log_path, 'w') as handle:
            handle.write(self.output())
        for worker in self.workers:
            worker.close()
        for server in self.api:
            server.stop()

    def output(self):
        """What every process printed, for a failing test's message."""
        parts = []
        for index, worker in enumerate(self.workers):
            parts.append('--- worker %d ---\n%s' % (index, worker.output()))
        for index, server in enumerate(self.api):
            parts.append('--- api %d ---\n%s' % (index, server.output()))
        return '\n'.join(parts)

    def warnings(self):
        """The warning and error lines of :meth:`output`, for a failing
        test's message (the whole output is in :attr:`log_path`)."""
        return '\n'.join(
            line
            for line in self.output().splitlines()
            if ' WARNING ' in line or ' ERROR ' in line
        )

    def url(self, host=0):
        return self.api[host].url

    def worker_of(self, pid):
        """The :class:`Worker` whose process is ``pid`` (``None``: none)."""
        for worker in self.workers:
            if worker.pid == pid:
                return worker
        return None


def stack_template(name, farm, per_cloud, size='small', image='img-debian-12'):
    """A stack of ``per_cloud`` nodes on each cloud of ``farm``."""
    return {
        'name': name,
        'timeout': 600,
        'groups': [
            {
                'name': 'g%d' % index,
                'cloud': cloud,
                'count': per_cloud,
                'size': size,
                'image': image,
            }
            for index, cloud in enumerate(sorted(farm))
        ],
    }


def wait_for(predicate, timeout, interval=0.2, message='condition'):
    """Poll ``predicate()`` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError('%s not reached within %s s' % (message, timeout))


def job(url, job_id):
    return requests.get('%s/v1/jobs/%s' % (url, job_id), timeout=10).json()[
        'job'
    ]


def wait_for_job(url, job_id, timeout=300):
    """The job once it has finished."""
    return wait_for(
        lambda: (
            lambda body: (
                body
                if body['status'] in ('succeeded', 'failed', 'cancelled')
                else None
            )
        )(job(url, job_id)),
        timeout,
        0.5,
        'the end of job %s' % job_id,
    )
