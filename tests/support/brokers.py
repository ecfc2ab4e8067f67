"""Real message brokers for the scale-out tests: Redis and RabbitMQ
servers of their own, on free ports of 127.0.0.1, that a test can restart.

Each keeps its state in a temporary folder.  Redis keeps nothing on disk
(as this machine's does): a restart loses every message.  RabbitMQ keeps
its durable queues: a restart drops every connection.  Where a binary is
missing the test is skipped saying so, except under CI, where
``.ci/steps/45-brokers.sh`` installs it and its absence is a failure.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from tests.support.servers import free_port


def require(binary):
    """Skip (fail under CI) when ``binary`` is not installed."""
    if shutil.which(binary):
        return
    message = '%s is not installed (.ci/steps/45-brokers.sh installs it)' % (
        binary
    )
    if os.environ.get('CI', '').lower() == 'true':
        pytest.fail(message)
    pytest.skip(message)


def wait_for_port(port, timeout, process=None, log=None):
    """Wait until 127.0.0.1:``port`` takes connections."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(
                'the broker exited with %s:\n%s'
                % (process.returncode, _tail(log))
            )
        try:
            socket.create_connection(('127.0.0.1', port), 0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(
        'the broker did not listen on %d within %s s:\n%s'
        % (port, timeout, _tail(log))
    )


def _tail(path):
    if not path or not os.path.exists(path):
        return ''
    with open(path, errors='replace') as handle:
        return handle.read()[-3000:]


class Broker(object):
    """A broker process the test owns: :meth:`start`, :meth:`restart`,
    :meth:`stop`; ``url`` is what ``MW_BROKER_URL`` takes."""

    startup_seconds = 30.0

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix='mw-broker-')
        self.port = free_port()
        self.process = None
        self.log = os.path.join(self.folder, 'broker.log')

    def command(self):
        raise NotImplementedError

    def environment(self):
        return dict(os.environ)

    def start(self):
        with open(self.log, 'ab') as log:
            self.process = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.environment(),
                start_new_session=True,
            )
        wait_for_port(self.port, self.startup_seconds, self.process, self.log)

    def stop(self, signal=15):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait(10)

    def restart(self):
        """Stop the broker (every connection drops) and start it again
        on the same port."""
        self.stop()
        self.start()

    def close(self):
        self.stop(signal=9)
        shutil.rmtree(self.folder, ignore_errors=True)


class RedisBroker(Broker):
    """``redis-server`` keeping nothing on disk."""

    startup_seconds = 15.0

    def __init__(self):
        require('redis-server')
        super(RedisBroker, self).__init__()
        self.url = 'redis://127.0.0.1:%d/0' % self.port

    def command(self):
        return [
            'redis-server',
            '--bind',
            '127.0.0.1',
            '--port',
            str(self.port),
            '--save',
            '',
            '--appendonly',
            'no',
            '--dir',
            self.folder,
        ]


class RabbitBroker(Broker):
    """A RabbitMQ node of its own (its own name, ports and data folder)."""

    startup_seconds = 60.0

    def __init__(self):
        require('rabbitmq-server')
        super(RabbitBroker, self).__init__()
        self.dist_port = free_port()
        self.node = 'mwtest%d@localhost' % self.port
        self.url = 'amqp://guest:guest@127.0.0.1:%d//' % self.port
        for sub in ('mnesia', 'log'):
            os.makedirs(os.path.join(self.folder, sub))
        with open(os.path.join(self.folder, 'rabbitmq.conf'), 'w') as conf:
            conf.write(
                'listeners.tcp.local = 127.0.0.1:%d\n'
                'loopback_users = none\n' % self.port
            )
        if os.geteuid() == 0:
            # Run by root, rabbitmq-server runs the node as its own user.
            user = pwd.getpwnam('rabbitmq')
            os.chmod(self.folder, 0o755)
            for root, folders, files in os.walk(self.folder):
                for name in folders + files + ['.']:
                    os.chown(
                        os.path.join(root, name), user.pw_uid, user.pw_gid
                    )

    def environment(self):
        env = dict(os.environ)
        env.update(
            RABBITMQ_NODENAME=self.node,
            RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_CONFIG_FILE=os.path.join(self.folder, 'rabbitmq'),
            RABBITMQ_MNESIA_BASE=os.path.join(self.folder, 'mnesia'),
            RABBITMQ_LOG_BASE=os.path.join(self.folder, 'log'),
            RABBITMQ_FEATURE_FLAGS_FILE=os.path.join(self.folder, 'flags'),
            RABBITMQ_ENABLED_PLUGINS_FILE=os.path.join(self.folder, 'plugins'),
            RABBITMQ_PID_FILE=os.path.join(self.folder, 'pid'),
        )
        return env

    def command(self):
        return ['rabbitmq-server']

    def stop(self, signal=15):
        # Run by root, the node runs as the rabbitmq user in a session of
        # its own: it is stopped through its pid file.
        pid_file = os.path.join(self.folder, 'pid')
        node = None
        if os.path.exists(pid_file):
            with open(pid_file) as handle:
                text = handle.read().strip()
            node = int(text) if text.isdigit() else None
        super(RabbitBroker, self).stop(signal)
        if node is None:
            return
        try:
            os.kill(node, signal)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(node, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(node, 9)


BROKERS = {'redis': RedisBroker, 'rabbitmq': RabbitBroker}
