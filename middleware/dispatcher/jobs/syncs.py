"""Syncs: the collectors' models written into the inventory.

A :class:`Syncer` serves one farm.  It builds each available cloud's
collector, syncs each cloud's kinds when they are due (the executor calls
:meth:`Syncer.tick` periodically), syncs one at once when a read asks for
fresh data (:meth:`Syncer.refresh`), and hands the changes the service
makes through a cloud to the collector's notification endpoints.

A sync of a cloud's kind runs only under that kind's lease in the database
(:mod:`dispatcher.storage.inventory`), so that the processes of many hosts
never sync one cloud at once; within a process, concurrent refreshes of
one kind share one provider call.
"""

import concurrent.futures
import datetime
import logging
import os
import threading
import time

from dispatcher import errors, metrics
from dispatcher.lib import collectors
from dispatcher.lib.cloud import in_a_request
from dispatcher.lib.cloud_factory.values import as_document
from dispatcher.storage import inventory as store
from dispatcher.storage.types import utcnow

LOG = logging.getLogger(__name__)

#: Syncs of different clouds or kinds that one process runs at once.
SYNC_THREADS = 8

#: Seconds between two clean-ups of the items missing for long.
FORGET_EVERY = 60.0


def row_of(kind, item):
    """The :class:`~dispatcher.storage.inventory.Row` of a value object;
    a key pair's private key is never stored."""
    document = as_document(item)
    document.pop('private_key', None)
    return store.Row(
        key=str(document[collectors.KEYS[kind]]),
        name=document.get('name'),
        state=document.get('state'),
        document=document,
    )


class CloudModel(collectors.ModelStore):
    """The inventory of one cloud, as notification endpoints see it."""

    def __init__(self, syncer, cloud):
        self.syncer = syncer
        self.cloud = cloud

    def put(self, kind, item):
        store.put(
            self.syncer.database,
            self.cloud,
            kind,
            row_of(kind, item),
            self.syncer.confirm_seconds,
        )

    def remove(self, kind, key):
        store.remove(self.syncer.database, self.cloud, kind, str(key))

    def deleting(self, kind, key):
        """Mark ``key`` deleting.  A request that deleted a volume then
        lists the volumes at once (a provider has no call to get one), so
        that its next read sees it gone; a node is looked up when it is
        next shown, and the burst of syncs finds both soon."""
        store.mark_deleting(
            self.syncer.database,
            self.cloud,
            kind,
            str(key),
            self.syncer.confirm_seconds,
        )
        if kind != 'nodes' and in_a_request():
            try:
                self.syncer.refresh(self.cloud, kind)
            except errors.MiddlewareError as exc:
                LOG.info(
                    'cloud %r: %s not listed after a delete: %s',
                    self.cloud,
                    kind,
                    exc.message,
                )

    def expect_changes(self, kind):
        config = self.syncer.collectors[self.cloud].config
        key, now = (self.cloud, kind), time.monotonic()
        left = self.syncer.bursting.get(key, 0.0) - now
        if left > config['burst_seconds'] / 2:
            # This process started the burst moments ago: it still runs
            # (a stack's hundred creates need not say so a hundred times).
            return
        self.syncer.bursting[key] = now + config['burst_seconds']
        store.burst(
            self.syncer.database,
            self.cloud,
            kind,
            config['burst_interval'],
            config['burst_seconds'],
        )


class Syncer(object):
    """Keeps the inventory of ``farm`` in ``database``.

    :param owner: the name this process's leases carry.
    :param settings: the settings (``COLLECTORS``, ``PROVIDER_TIMEOUT``).
    """

    def __init__(self, farm, database, settings, owner):
        self.farm = farm
        self.database = database
        self.owner = owner
        self.collectors = {}
        self.refused = {}
        for cloud in farm:
            if not cloud.available:
                continue
            try:
                self.collectors[cloud.name] = collectors.build(
                    cloud.collector, cloud, settings.get('COLLECTORS')
                )
            except (ValueError, errors.MiddlewareError) as exc:
                self.refused[cloud.name] = str(exc)
                LOG.error(
                    'cloud %r is served live, without inventory: %s',
                    cloud.name,
                    exc,
                )
                continue
            cloud.change_listeners.append(self.apply)
        #: A sync may take a provider call's whole deadline, twice.
        self.lease_seconds = (
            2 * float(settings.get('PROVIDER_TIMEOUT', 30)) + 5
        )
        self.forget_seconds = float(
            settings.get('INVENTORY_FORGET_SECONDS', 86400)
        )
        #: How long a deleted item may stay listed before its deletion
        #: is reported failed.
        self.confirm_seconds = float(
            settings.get('DELETE_CONFIRM_SECONDS', 60)
        )
        #: Called on each change made through a cloud (starts the round).
        self.on_change = None
        self._lock = threading.Lock()
        self._inflight = {}
        #: ``(cloud, kind)`` -> when the burst this process asked ends.
        self.bursting = {}
        self._ensured = set()
        self._pool = None
        self._pid = None
        self._next_forget = 0.0

    def modelled(self, cloud, kind):
        """Whether ``kind`` of cloud ``cloud`` is kept in the inventory."""
        collector = self.collectors.get(cloud)
        return collector is not None and kind in collector.kinds

    def period(self, cloud, kind):
        return self.collectors[cloud].period(kind)

    def ensure(self, cloud):
        """Make the sync rows of ``cloud`` once per process.  The first
        periodic sync of a kind is due one period from now: until then a
        read of a kind never listed asks the provider itself."""
        if cloud in self._ensured:
            return
        collector = self.collectors[cloud]
        now = utcnow()
        store.ensure(
            self.database,
            cloud,
            {
                kind: now + datetime.timedelta(seconds=collector.period(kind))
                for kind in collector.kinds
            },
        )
        self._ensured.add(cloud)

    # -- notifications ----------------------------------------------------

    def apply(self, event):
        """Hand ``event`` to the cloud's collector's endpoints."""
        collector = self.collectors.get(event.cloud)
        if collector is None or event.kind not in collector.kinds:
            return
        self.ensure(event.cloud)
        if self.on_change is not None:
            self.on_change()
        model = CloudModel(self, event.cloud)
        for endpoint in collector.notification_endpoints:
            if endpoint.accepts(event):
                endpoint.info(model, event)

    # -- syncs ------------------------------------------------------------

    def refresh(self, cloud, kind):
        """Sync ``kind`` of ``cloud`` now, or wait for the sync of it that
        is under way here or in another process; returns when the model
        holds the provider's answer.

        :raises errors.MiddlewareError: the provider's error.
        """
        return self._once(cloud, kind, due_only=False)

    def _once(self, cloud, kind, due_only):
        key = (cloud, kind)
        with self._lock:
            future = self._inflight.get(key)
            leader = future is None
            if leader:
                future = self._inflight[key] = concurrent.futures.Future()
        if not leader:
            if due_only:
                return
            return future.result()
        try:
            future.set_result(self._sync(cloud, kind, due_only))
        except BaseException as exc:
            future.set_exception(exc)
        finally:
            with self._lock:
                self._inflight.pop(key, None)
        return future.result()

    def _sync(self, cloud, kind, due_only):
        self.ensure(cloud)
        asked = utcnow()
        started = store.claim(
            self.database,
            cloud,
            kind,
            self.owner,
            self.lease_seconds,
            due_only=due_only,
        )
        if started is None:
            return (
                None if due_only else self._wait_for_other(cloud, kind, asked)
            )
        collector = self.collectors[cloud]
        lease = store.Lease(
            self.owner,
            collector.period(kind),
            collector.config['burst_interval'],
        )
        try:
            model = collector.execute([kind])
        except BaseException:
            store.release(self.database, cloud, kind, lease)
            raise
        error = model.failures.get(kind)
        if error is not None:
            store.record_failure(
                self.database, cloud, kind, error.to_dict(), lease
            )
            metrics.INVENTORY_SYNCS.labels(cloud, kind, 'error').inc()
            raise error
        store.record_listing(
            self.database,
            cloud,
            kind,
            [row_of(kind, item) for item in model.items.get(kind, [])],
            started,
            lease,
            self.confirm_seconds,
        )
        metrics.INVENTORY_SYNCS.labels(cloud, kind, 'ok').inc()

    def _wait_for_other(self, cloud, kind, asked):
        """Another process holds the lease: wait for its sync and take
        its outcome."""
        deadline = time.monotonic() + self.lease_seconds
        while time.monotonic() < deadline:
            state = store.states(self.database, [cloud], kind)[cloud]
            if not state.syncing:
                if state.outcome == 'error' and (
                    state.finished_at and state.finished_at >= asked
                ):
                    raise errors.MiddlewareError.from_dict(state.error)
                if state.finished_at and state.finished_at >= asked:
                    return
                # The other sync ended before this one asked: try again.
                return self._sync(cloud, kind, due_only=False)
            time.sleep(0.05)
        raise errors.CloudTimeout(
            'the inventory of %r (%s) is being synced elsewhere and did '
            'not finish in time' % (cloud, kind),
            cloud=cloud,
        )

    # -- the periodic round -----------------------------------------------

    def _threads(self):
        # A forked child has none of its parent's threads, and none of
        # its syncs under way.
        if self._pid is not None and self._pid != os.getpid():
            self._pool = None
            self._inflight = {}
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(
                SYNC_THREADS, thread_name_prefix='inventory-sync'
            )
            self._pid = os.getpid()
        return self._pool

    def tick(self):
        """Start the syncs that are due and that no process holds; forget
        items missing for long.  Returns at once."""
        for cloud in list(self.collectors):
            self.ensure(cloud)
        pool = self._threads()
        for cloud, kind in store.due(self.database, self.collectors):
            if (cloud, kind) not in self._inflight:
                pool.submit(self._scheduled, cloud, kind)
        if time.monotonic() >= self._next_forget:
            store.forget(self.database, self.forget_seconds)
            self._next_forget = time.monotonic() + FORGET_EVERY

    def _scheduled(self, cloud, kind):
        try:
            self._once(cloud, kind, due_only=True)
        except errors.MiddlewareError as exc:
            LOG.info(
                'cloud %r: the sync of %s failed: %s', cloud, kind, exc.message
            )
        except Exception:
            LOG.exception('cloud %r: the sync of %s failed', cloud, kind)

    def close(self):
        for cloud in self.farm:
            if self.apply in cloud.change_listeners:
                cloud.change_listeners.remove(self.apply)
        if self._pool is not None and self._pid == os.getpid():
            self._pool.shutdown(wait=True, cancel_futures=True)
