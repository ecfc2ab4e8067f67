"""One cloud of the farm at run time: its driver, its threads, its limits.

A :class:`Cloud` owns a small pool of worker threads.  Each thread connects
its own libcloud driver on first use and keeps it, so a driver object is
never shared between threads, and the pool size bounds how many calls the
service makes to that provider at once.  Every call has a deadline (the
cloud's ``TIMEOUT``): past it the caller gets a 504 and the worker thread is
left to finish against the driver's own socket timeout.
"""

import concurrent.futures
import contextlib
import contextvars
import logging
import os
import threading
import time

from dispatcher import errors, metrics
from dispatcher.context import REQUEST_ID
from dispatcher.lib.breaker import Breaker
from dispatcher.lib.budget import CallBudget
from dispatcher.lib.cloud_factory import values
from dispatcher.lib.cloud_factory.drivers import GenericDriver
from dispatcher.lib.cloud_factory.translate import translate
from dispatcher.lib.collectors import KEYS, Event

LOG = logging.getLogger(__name__)

#: Driver calls that are not capabilities themselves, by the one they need.
NEEDS = {'get_node': 'list_nodes', 'check': 'list_nodes'}

#: ``(cloud name, gate)`` for the calls made in this context, see
#: :func:`gated`.
_GATE = contextvars.ContextVar('dispatcher_cloud_gate', default=None)


@contextlib.contextmanager
def gated(cloud, gate):
    """While the block runs, each provider call it makes on the cloud named
    ``cloud`` first takes ``gate`` (``gate.acquire()``, which may wait, or
    raise: then nothing is asked), and gives it back
    (``gate.release()``) the moment the provider has answered: before the
    answer is recorded (the inventory's write, the caller's own), and not
    across a retry's wait.  A job's per-cloud slot is such a gate: it
    bounds the calls in flight, not the bookkeeping around them."""
    token = _GATE.set((cloud, gate))
    try:
        yield
    finally:
        _GATE.reset(token)


class Cloud(object):
    """A farm entry, with its driver wrapper or the reason it has none.

    :param name: the farm name.
    :param label: the entry's ``ENGINE``.
    :param driver: a ``GenericDriver``, or ``None`` when the entry is broken.
    :param reason: why the entry is unavailable (``driver`` is ``None``).
    :param timeout: seconds a provider call may take.
    :param max_concurrency: provider calls in flight at once.
    :param secrets: credential values never to be shown in a message.
    :param calls_per_second: the cloud's call budget (0: no rate).
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
        calls_per_second=0,
        collector=None,
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
        self.budget = CallBudget(name, calls_per_second)
        #: The cloud's circuit (:mod:`dispatcher.lib.breaker`); the farm
        #: gives it the settings' thresholds.
        self.breaker = Breaker(name)
        #: Requests that may wait on this cloud at once (``None``: no
        #: bound); the farm sets it from ``REQUEST_CALLS_PER_CLOUD``.
        self.request_gate = None
        #: The name of the collector that models this cloud.
        self.collector = collector or 'cloud'
        #: Called with each :class:`~dispatcher.lib.collectors.Event` of a
        #: change made through this cloud (the inventory listens).
        self.change_listeners = []
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
            'calls_per_second': self.budget.calls_per_second or None,
            'health': self.breaker.health(),
        }

    def require(self, operation):
        """Raise 503 if the cloud is broken, 501 if it lacks ``operation``."""
        if not self.available:
            raise errors.CloudUnavailable(
                'cloud %r is unavailable: %s' % (self.name, self.reason),
                cloud=self.name,
            )
        if self.driver.capability_class() is None:
            self._first_connection()
        if operation not in self.operations():
            raise errors.NotSupported(
                'cloud %r does not support %s' % (self.name, operation),
                cloud=self.name,
            )

    def _first_connection(self):
        # A driver that declares no libcloud class tells its capabilities
        # by the class of its first connection.
        call = Call(self, 'connect')
        call.future = self._executor().submit(self._connect_only, call)
        call.result()

    def _connect_only(self, call):
        call.begin()
        try:
            self._connection()
        except Exception as exc:  # translated at the driver boundary
            raise translate(exc, self.name, 'connect', self.secrets)

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
            self.driver.learn(driver)
            self._local.driver = driver
        return driver

    def _run(self, call, method, args, gate=None):
        try:
            return self._ask(call, method, args)
        finally:
            if gate is not None:
                gate.release()

    def _ask(self, call, method, args):
        try:
            # The budget's wait counts as queueing: nothing is asked yet.
            self.budget.take(method.__name__, call.queued_until)
        except errors.MiddlewareError:
            call.settle(None, counted=False)
            raise
        call.begin()
        try:
            bound = getattr(self.driver, method.__name__)
            answer = bound(self._connection(), self.name, *args)
        except Exception as exc:  # translated at the driver boundary
            error = translate(exc, self.name, method.__name__, self.secrets)
            self._heed(error)
            if call.settle(error):
                call.log(error)
            raise error
        finally:
            metrics.PROVIDER_SECONDS.labels(
                self.name, method.__name__
            ).observe(time.monotonic() - call.started_at)
        call.settle(None)
        return answer

    def _heed(self, error):
        # A provider's 429 pauses every call of this process to the cloud.
        retry_after = (getattr(error, 'headers', None) or {}).get(
            'Retry-After'
        )
        if isinstance(error, errors.RateLimited) and retry_after:
            try:
                self.budget.pause(float(retry_after))
            except ValueError:
                pass

    def submit(self, method, *args, needs=None):
        """Start a driver operation on a worker thread; returns a
        :class:`Call` whose ``result()`` is the operation's answer.

        :param method: a ``GenericDriver`` method (the cloud's driver's
            own override runs), e.g. ``GenericDriver.list_nodes``.
        :param needs: the capability it needs (default: its name).
        """
        name = method.__name__
        self.require(needs or NEEDS.get(name, name))
        gate = _GATE.get()
        gate = gate[1] if gate is not None and gate[0] == self.name else None
        if gate is not None:
            gate.acquire()
        try:
            call = Call(self, name, probe=self.breaker.before())
        except BaseException:
            if gate is not None:
                gate.release()
            raise
        # The call's log lines carry the id of the request that made it.
        context = contextvars.copy_context()
        try:
            call.future = self._executor().submit(
                context.run, self._run, call, method, args, gate
            )
        except BaseException:
            if gate is not None:
                gate.release()
            call.settle(None, counted=False)
            raise
        return call

    def call(self, method, *args, needs=None):
        """Run a driver operation and return its answer, within the
        timeout (a request waits only if the cloud has room for it: see
        :meth:`request_wait`)."""
        with self.request_wait():
            return self.submit(method, *args, needs=needs).result()

    @contextlib.contextmanager
    def request_wait(self):
        """Hold one of the cloud's places for waiting requests while the
        block runs; a request finding none free is answered ``503
        cloud_busy`` at once.  So a cloud that hangs holds at most that
        many of a worker's threads, and the others keep serving the other
        clouds.  Jobs and syncs (no request) are not bounded here."""
        gate = self.request_gate
        if gate is None or not in_a_request():
            yield
            return
        if not gate.acquire(blocking=False):
            raise errors.CloudUnavailable(
                'cloud %r already has as many requests waiting on it as it '
                'takes; nothing was asked of the provider, try again later'
                % self.name,
                cloud=self.name,
                code='cloud_busy',
                headers={'Retry-After': '1'},
            )
        try:
            yield
        finally:
            gate.release()

    # -- typed operations -------------------------------------------------

    def check(self):
        """Prove the credentials live; raises the translated error."""
        self.call(GenericDriver.check)

    def list_nodes(self) -> list[values.Node]:
        return self.call(GenericDriver.list_nodes)

    def get_node(self, node_id: str) -> values.Node:
        return self.call(GenericDriver.get_node, node_id)

    def create_node(self, spec: values.NodeSpec) -> values.Node:
        with self._changing('nodes') as change:
            return change.made(
                self.call(GenericDriver.create_node, spec), 'created'
            )

    def act_on_node(self, node_id: str, action: str) -> values.Node:
        """Reboot, start or stop: one lookup of the node, then the action."""
        with self._changing('nodes') as change:
            return change.made(
                self.call(
                    GenericDriver.act_on_node,
                    node_id,
                    action,
                    needs=values.ACTION_OPERATIONS[action],
                ),
                'changed',
            )

    def destroy_node(self, node_id: str) -> values.Node:
        with self._changing('nodes') as change:
            return change.made(
                self.call(
                    GenericDriver.delete_node, node_id, needs='destroy_node'
                ),
                'deleted',
            )

    def list_images(self) -> list[values.Image]:
        return self.call(GenericDriver.list_images)

    def list_sizes(self) -> list[values.Size]:
        return self.call(GenericDriver.list_sizes)

    def list_locations(self) -> list[values.Location]:
        return self.call(GenericDriver.list_locations)

    def list_key_pairs(self) -> list[values.KeyPair]:
        return self.call(GenericDriver.list_key_pairs)

    def create_key_pair(self, name: str) -> values.KeyPair:
        with self._changing('key_pairs') as change:
            return change.made(
                self.call(GenericDriver.create_key_pair, name), 'created'
            )

    def import_key_pair(self, name: str, public_key: str) -> values.KeyPair:
        with self._changing('key_pairs') as change:
            return change.made(
                self.call(
                    GenericDriver.import_key_pair_from_string,
                    name,
                    public_key,
                ),
                'created',
            )

    def delete_key_pair(self, name: str) -> None:
        with self._changing('key_pairs') as change:
            self.call(GenericDriver.delete_key_pair, name)
            change.gone(name)

    def list_volumes(self) -> list[values.Volume]:
        return self.call(GenericDriver.list_volumes)

    def create_volume(self, spec: values.VolumeSpec) -> values.Volume:
        with self._changing('volumes') as change:
            return change.made(
                self.call(GenericDriver.create_volume, spec), 'created'
            )

    def attach_volume(
        self, volume_id: str, node_id: str, device: str | None = None
    ) -> values.Volume:
        with self._changing('volumes') as change:
            return change.made(
                self.call(
                    GenericDriver.attach_volume, volume_id, node_id, device
                ),
                'changed',
            )

    def detach_volume(self, volume_id: str) -> values.Volume:
        with self._changing('volumes') as change:
            return change.made(
                self.call(GenericDriver.detach_volume, volume_id), 'changed'
            )

    def destroy_volume(self, volume_id: str) -> None:
        with self._changing('volumes') as change:
            self.call(GenericDriver.destroy_volume, volume_id)
            change.gone(volume_id)

    # -- changes ------------------------------------------------------------

    @contextlib.contextmanager
    def _changing(self, kind):
        """Tell the listeners what a change did; one that failed still
        tells them that ``kind`` may have changed (a timed-out create
        may have happened)."""
        change = _Change(self, kind)
        try:
            yield change
        except BaseException:
            change.announce('changed', None, None)
            raise

    def announce(self, event):
        """Hand ``event`` to every listener; a listener's failure is
        logged and never fails the provider call that made the change."""
        for listener in list(self.change_listeners):
            try:
                listener(event)
            except Exception:
                LOG.exception(
                    'cloud %r: a listener failed on %s',
                    self.name,
                    event.event_type,
                )

    def close(self):
        """Stop the worker threads (those still in a call finish first)."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None


def in_a_request():
    """Whether the current work is an HTTP request (not a job, a sync or
    a command)."""
    work = REQUEST_ID.get()
    return work != '-' and not work.startswith('job:')


class _Change(object):
    """The change one typed operation makes to one kind of resource."""

    def __init__(self, cloud, kind):
        self.cloud = cloud
        self.kind = kind

    def announce(self, type, key, item):
        self.cloud.announce(Event(self.cloud.name, self.kind, type, key, item))

    def made(self, item, type):
        self.announce(type, getattr(item, KEYS[self.kind], None), item)
        return item

    def gone(self, key):
        self.announce('deleted', key, None)


class Call(object):
    """A provider call in flight on one cloud.

    Its deadline counts from when it starts on one of the cloud's threads,
    not from when it was asked for: a call queued behind others still gets
    the cloud's whole ``TIMEOUT`` at the provider.  The wait for a free
    thread is bounded apart, by the same ``TIMEOUT``; a call that never
    started is cancelled (nothing happened at the provider) and answered
    ``503 cloud_busy``.
    """

    def __init__(self, cloud, operation, future=None, probe=False):
        self.cloud = cloud
        self.operation = operation
        self.future = future
        self.probe = probe
        self.queued_until = time.monotonic() + cloud.timeout
        self.started_at = None
        self._started = threading.Event()
        self._settled = False
        self._settle_lock = threading.Lock()

    def log(self, error):
        """Log a failed call once: cloud, operation, duration, error."""
        LOG.warning(
            'cloud %r: %s failed after %.2f s: %s: %s',
            self.cloud.name,
            self.operation,
            time.monotonic() - (self.started_at or time.monotonic()),
            error.code,
            error.message,
        )

    def settle(self, error, counted=True):
        """Tell the cloud's circuit how the call went, once (the worker
        thread and a caller past the deadline may both know); ``True`` for
        the one that told.

        :param counted: ``False`` for a call that never reached the
            provider: it proves nothing either way.
        """
        with self._settle_lock:
            if self._settled:
                return False
            self._settled = True
        if not counted:
            self.cloud.breaker.release(self.probe)
            return True
        self.cloud.breaker.record(error, self.probe)
        metrics.PROVIDER_CALLS.labels(
            self.cloud.name,
            self.operation,
            'ok' if error is None else error.code,
        ).inc()
        return True

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
            self.settle(None, counted=False)
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
            self.settle(None, counted=False)
            raise errors.CloudUnavailable(
                'cloud %r is closing: %s was not made'
                % (self.cloud.name, self.operation),
                cloud=self.cloud.name,
            )
        except concurrent.futures.TimeoutError:
            self.future.cancel()
            error = errors.CloudTimeout(
                'cloud %r did not answer %s within %g s'
                % (self.cloud.name, self.operation, self.cloud.timeout),
                cloud=self.cloud.name,
            )
            if self.settle(error):
                self.log(error)
            raise error
