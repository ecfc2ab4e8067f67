"""One cloud of the farm at run time: its driver, its threads, its limits.

A :class:`Cloud` owns a small pool of worker threads.  Each thread connects
its own libcloud driver on first use and keeps it, so a driver object is
never shared between threads, and the pool size bounds how many calls the
service makes to that provider at once.  Every call has a deadline (the
cloud's ``TIMEOUT``): past it the caller gets a 504 and the worker thread is
left to finish against the driver's own socket timeout.
"""

import concurrent.futures
import logging
import os
import threading
import time

from dispatcher import errors
from dispatcher.lib.cloud_factory.translate import translate

LOG = logging.getLogger(__name__)

#: Driver calls that are not capabilities themselves, by the one they need.
NEEDS = {'get_node': 'list_nodes', 'check': 'list_nodes'}


class Cloud(object):
    """A farm entry, with its driver wrapper or the reason it has none.

    :param name: the farm name.
    :param label: the entry's ``ENGINE``.
    :param driver: a ``GenericDriver``, or ``None`` when the entry is broken.
    :param reason: why the entry is unavailable (``driver`` is ``None``).
    :param timeout: seconds a provider call may take.
    :param max_concurrency: provider calls in flight at once.
    :param secrets: credential values never to be shown in a message.
    """

    def __init__(
        self,
        name,
        label,
        driver=None,
        reason=None,
        timeout=30.0,
        max_concurrency=8,
        secrets=(),
    ):
        self.name = name
        self.label = label
        self.driver = driver
        self.reason = reason
        self.timeout = float(timeout)
        self.max_concurrency = (
            1
            if getattr(driver, 'single_connection', False)
            else int(max_concurrency)
        )
        self.secrets = tuple(s for s in secrets if s)
        self._lock = threading.Lock()
        self._pool = None
        self._pool_pid = None
        self._local = threading.local()

    @property
    def available(self):
        return self.driver is not None

    def operations(self):
        """The operations this cloud serves (empty when unavailable)."""
        return self.driver.operations() if self.driver else []

    def describe(self):
        """The cloud as the API shows it: never a credential."""
        return {
            'name': self.name,
            'provider': self.label,
            'status': 'available' if self.available else 'unavailable',
            'reason': self.reason,
            'capabilities': self.operations(),
            'timeout': self.timeout,
            'max_concurrency': self.max_concurrency,
        }

    def require(self, operation):
        """Raise 503 if the cloud is broken, 501 if it lacks ``operation``."""
        if not self.available:
            raise errors.CloudUnavailable(
                'cloud %r is unavailable: %s' % (self.name, self.reason),
                cloud=self.name,
            )
        if operation not in self.operations():
            raise errors.NotSupported(
                'cloud %r does not support %s' % (self.name, operation),
                cloud=self.name,
            )

    # -- calls ----------------------------------------------------------

    def _executor(self):
        with self._lock:
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    max_workers=self.max_concurrency,
                    thread_name_prefix='cloud-%s' % self.name,
                )
                self._pool_pid = os.getpid()
                self._local = threading.local()
            return self._pool

    def _connection(self):
        driver = getattr(self._local, 'driver', None)
        if driver is None:
            kwargs = (
                {'timeout': self.timeout}
                if getattr(self.driver, 'accepts_timeout', True)
                else {}
            )
            driver = self.driver.connect(**kwargs)
            self._local.driver = driver
        return driver

    def _run(self, call, operation, args, kwargs):
        call.begin()
        try:
            method = getattr(self.driver, operation)
            return method(self._connection(), self.name, *args, **kwargs)
        except Exception as exc:  # translated at the driver boundary
            raise translate(exc, self.name, operation, self.secrets)

    def submit(self, operation, *args, **kwargs):
        """Start ``operation`` on a worker thread; returns a :class:`Call`."""
        self.require(NEEDS.get(operation, operation))
        call = Call(self, operation)
        call.future = self._executor().submit(
            self._run, call, operation, args, kwargs
        )
        return call

    def call(self, operation, *args, **kwargs):
        """Run ``operation`` and return its answer, within the timeout."""
        return self.submit(operation, *args, **kwargs).result()

    def check(self):
        """Prove the credentials live; raises the translated error."""
        self.call('check')

    def close(self):
        """Stop the worker threads (those still in a call finish first)."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None


class Call(object):
    """A provider call in flight on one cloud.

    Its deadline counts from when it starts on one of the cloud's threads,
    not from when it was asked for: a call queued behind others still gets
    the cloud's whole ``TIMEOUT`` at the provider.  The wait for a free
    thread is bounded apart, by the same ``TIMEOUT``; a call that never
    started is cancelled (nothing happened at the provider) and answered
    ``503 cloud_busy``.
    """

    def __init__(self, cloud, operation, future=None):
        self.cloud = cloud
        self.operation = operation
        self.future = future
        self.queued_until = time.monotonic() + cloud.timeout
        self.started_at = None
        self._started = threading.Event()

    def begin(self):
        """Called on the cloud's thread as the call starts."""
        self.started_at = time.monotonic()
        self._started.set()

    def result(self):
        """The answer, or the translated error; 504 past the deadline."""
        waited = self._started.wait(
            max(0.0, self.queued_until - time.monotonic())
        )
        if not waited and self.future.cancel():
            raise errors.CloudUnavailable(
                'cloud %r was busy: %s found no free slot within %g s; '
                'nothing was asked of the provider'
                % (self.cloud.name, self.operation, self.cloud.timeout),
                cloud=self.cloud.name,
                code='cloud_busy',
            )
        while not self._started.wait(0.05) and not self.future.done():
            pass  # starting this very moment
        deadline = (self.started_at or time.monotonic()) + self.cloud.timeout
        try:
            return self.future.result(
                timeout=max(0.0, deadline - time.monotonic())
            )
        except concurrent.futures.CancelledError:
            raise errors.CloudUnavailable(
                'cloud %r is closing: %s was not made'
                % (self.cloud.name, self.operation),
                cloud=self.cloud.name,
            )
        except concurrent.futures.TimeoutError:
            self.future.cancel()
            raise errors.CloudTimeout(
                'cloud %r did not answer %s within %g s'
                % (self.cloud.name, self.operation, self.cloud.timeout),
                cloud=self.cloud.name,
            )
