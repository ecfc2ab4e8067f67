"""The inventory: every cloud's resources, served with their freshness.

Reads are answered from the database, which the collectors keep (see
:mod:`dispatcher.jobs.syncs`): a list costs no provider call.  Each answer
says how fresh it is, per cloud: ``observed_at`` (when the provider last
listed that kind), ``age_s``, and ``status``:

* ``fresh``: the last sync succeeded, within twice the kind's period;
* ``stale``: older than that, or the cloud's circuit is open;
* ``error``: the last sync failed; ``error`` says why.  The last model is
  still served: never a silent empty list.

``fresh=true`` asks the provider now (concurrent asks share one call) and
``max_age=S`` does when the model is older than ``S`` seconds.  A kind
never listed yet is asked live the first time.  A kind a cloud cannot list,
and a cloud without inventory, are asked live every time, as before.
"""

import threading

import cachetools

from dispatcher import errors, metrics
from dispatcher.jobs import syncs
from dispatcher.jobs.leases import new_owner
from dispatcher.lib.cloud_factory.values import UNSETTLED_STATES, as_document
from dispatcher.lib.collectors import KEYS, KINDS
from dispatcher.lib.collectors.cloud import LISTINGS
from dispatcher.lib.parallel import all_at_once
from dispatcher.services import pagination
from dispatcher.storage import inventory as store
from dispatcher.storage.changes import VersionedCache
from dispatcher.storage.types import isoformat, utcnow

#: Models (a kind of a cloud) a process keeps in memory for cross-cloud
#: reads, each as long as its revision holds.
CACHED_MODELS = 64

#: Seconds a process reuses a catalogue item (size, image, location) it
#: looked up for a create, and how many it keeps.
CATALOGUE_MEMO_SECONDS = 10.0
CATALOGUE_MEMO_ITEMS = 1024

#: The fields of a create that name catalogue items, and their kinds.
CATALOGUE_FIELDS = (
    ('size', 'sizes'),
    ('image', 'images'),
    ('location', 'locations'),
)


def _live(cloud, kind):
    """``kind`` of ``cloud``, asked of the provider now."""
    return cloud.call(LISTINGS[kind])


def _age(state, now):
    if state is None or state.observed_at is None:
        return None
    return max(0.0, (now - state.observed_at).total_seconds())


def not_found(cloud, kind, key):
    """The 404 of an item a cloud does not have."""
    singular = kind[:-1]
    return errors.NotFound(
        '%s %r not found' % (singular.replace('_', ' '), key),
        code='%s_not_found' % singular,
        cloud=cloud.name,
    )


class Inventory(object):
    """Reads of the farm's resources, from the inventory.

    :param executor: runs the periodic round of due syncs (unless
        ``INVENTORY_SYNC`` is off).
    """

    def __init__(self, farm, database, executor, config):
        self.database = database
        self.syncer = syncs.Syncer(farm, database, config, new_owner())
        self._lock = threading.Lock()
        self._cache = cachetools.LRUCache(maxsize=CACHED_MODELS)
        #: Pages of the farm's nodes, by their models' revisions and query.
        self._pages = cachetools.LRUCache(maxsize=CACHED_MODELS)
        #: Sync rows read since the database last changed, with their
        #: states and when the first running sync's lease runs out.
        self._sync_rows = VersionedCache(size=CACHED_MODELS)
        #: Catalogue items looked up for creates, each for
        #: :data:`CATALOGUE_MEMO_SECONDS`; one lookup per item at a time,
        #: the others waiting for its answer (a stack's hundreds of creates
        #: start at once, and would each ask the database otherwise).
        self._catalogue_item = cachetools.cached(
            cachetools.TTLCache(CATALOGUE_MEMO_ITEMS, CATALOGUE_MEMO_SECONDS),
            condition=threading.Condition(),
        )(self._look_up_catalogue_item)
        self.round = None
        if config.get('INVENTORY_SYNC', True):
            # It starts with the first read or change: a process that
            # serves neither (a command, a test) never syncs.
            self.round = executor.every(
                config.get('INVENTORY_ROUND_SECONDS', 1.0),
                self.syncer.tick,
                'inventory-round',
                start=False,
            )
            self.syncer.on_change = self.round.ensure

    # -- freshness --------------------------------------------------------

    def freshness(self, cloud, kind, state=None, now=None):
        """The freshness object of ``cloud``'s ``kind`` (see the module)."""
        now = now or utcnow()
        if state is None:
            # Not kept in the inventory: just asked live.
            return {
                'cloud': cloud.name,
                'observed_at': isoformat(now),
                'age_s': 0.0,
                'status': 'fresh',
            }
        age = _age(state, now)
        body = {
            'cloud': cloud.name,
            'observed_at': isoformat(state.observed_at),
            'age_s': None if age is None else round(age, 1),
            'status': 'fresh',
        }
        if state.outcome == 'error':
            body['status'] = 'error'
            body['error'] = state.error
        elif cloud.breaker.state == 'open':
            body['status'] = 'stale'
            body['error'] = cloud.breaker.last_error
        elif age is None or age > 2 * self.syncer.period(cloud.name, kind):
            body['status'] = 'stale'
        return body

    def _state(self, cloud, kind, fresh=False, max_age=None):
        """The sync state of ``kind`` after asking the provider when the
        caller wants it (``None``: not kept in the inventory)."""
        if not self.syncer.modelled(cloud.name, kind):
            return None
        if self.round is not None:
            self.round.ensure()
        state = self._stored(cloud, kind)
        if self._needs_refresh(state, fresh, max_age):
            with cloud.request_wait():
                self.syncer.refresh(cloud.name, kind)
            state = self._stored(cloud, kind)
        return state

    def _stored(self, cloud, kind):
        return self._states([cloud.name], kind).get(cloud.name)

    def _states(self, names, kind):
        """Cloud -> sync state of ``kind`` of those of ``names`` that have
        one: a query only when the database changed since the last."""
        version = self.database.version()
        key = (tuple(names), kind)
        now = utcnow()
        kept = self._sync_rows.get(version, key)
        if kept is None:
            rows = store.sync_rows(self.database, names, kind)
            kept = (
                rows,
                store.states_of(rows, now),
                store.settles_at(rows, now),
            )
            self._sync_rows.put(version, key, kept)
        rows, states, settles_at = kept
        if settles_at is not None and now >= settles_at:
            # A sync's lease ran out since: ``syncing`` is no longer true.
            return store.states_of(rows, now)
        return dict(states)

    @staticmethod
    def _needs_refresh(state, fresh, max_age):
        if fresh or state is None or state.observed_at is None:
            return True
        return max_age is not None and _age(state, utcnow()) > max_age

    # -- one cloud --------------------------------------------------------

    def page(self, cloud, kind, query, limit):
        """A page of ``cloud``'s ``kind`` after the query's ``name``,
        ``state``, ``marker``, ``fresh`` and ``max_age``:
        ``{kind: [...], "next_marker": ..., "freshness": {...}}``."""
        state = self._state(
            cloud, kind, query.get('fresh'), query.get('max_age')
        )
        if state is None:
            items = pagination.filter_items(
                _live(cloud, kind),
                name=query.get('name'),
                state=query.get('state'),
            )
            selected, next_marker = pagination.paginate(
                items, limit, query.get('marker'), key=_key(kind)
            )
            selected = [as_document(item) for item in selected]
        else:
            items = pagination.filter_items(
                self._documents(cloud.name, kind, {cloud.name: state}),
                name=query.get('name'),
                state=query.get('state'),
            )
            selected, next_marker = pagination.paginate(
                items, limit, query.get('marker'), key=_key(kind)
            )
        return {
            kind: selected,
            'next_marker': next_marker,
            'freshness': self.freshness(cloud, kind, state),
        }

    def show(self, cloud, kind, key, fresh=False, live=None):
        """``(item, freshness)`` of ``cloud``'s item ``key``.

        An item the inventory does not hold (it may have been made behind
        the service's back), or holds in a state it leaves by itself soon
        (``pending``, ``stopping``, ``terminated``...: someone is likely
        waiting for it to settle), is asked of the provider: with ``live``
        (a function of no argument) when given, else by a sync of
        ``kind``.
        """
        if not self.syncer.modelled(cloud.name, kind):
            item = (
                live() if live else self._find(_live(cloud, kind), kind, key)
            )
            if item is None:
                raise not_found(cloud, kind, key)
            return as_document(item), self.freshness(cloud, kind)
        if not fresh:
            document = store.find(self.database, cloud.name, kind, key)
            if (
                document is not None
                and document.get('state') not in UNSETTLED_STATES
            ):
                state = self._state(cloud, kind)
                return document, self.freshness(cloud, kind, state)
        self.syncer.ensure(cloud.name)
        if live is not None:
            try:
                item = live()
            except errors.NotFound:
                store.remove(self.database, cloud.name, kind, key)
                raise
            document = store.put(
                self.database,
                cloud.name,
                kind,
                syncs.row_of(kind, item),
                self.syncer.confirm_seconds,
            )
            return document, self.freshness(cloud, kind)
        state = self._state(cloud, kind, fresh=True)
        document = store.find(self.database, cloud.name, kind, key)
        if document is None:
            raise not_found(cloud, kind, key)
        return document, self.freshness(cloud, kind, state)

    @staticmethod
    def _find(items, kind, key):
        for item in items:
            if str(pagination.value_of(item, KEYS[kind])) == str(key):
                return item
        return None

    # -- catalogue lookups --------------------------------------------------

    def catalogue_items(self, cloud, spec):
        """The documents of a create's ``size``, ``image`` and
        ``location`` that the inventory holds (no provider call): the
        driver asks the provider only for those missing here."""
        known = {}
        for field, kind in CATALOGUE_FIELDS:
            value = spec.get(field)
            if value is None or not self.syncer.modelled(cloud.name, kind):
                continue
            document = self._catalogue_item(cloud.name, kind, str(value))
            if document is not None:
                known[field] = document
        return known

    def _look_up_catalogue_item(self, cloud, kind, key):
        """A catalogue item's document (``None`` if the inventory lacks
        it), kept by ``_catalogue_item`` for a while: a stack's creates on
        one cloud look the same size and image up hundreds of times."""
        return store.find(self.database, cloud, kind, key)

    def catalogue_keys(self, cloud, kind, wanted=()):
        """The keys of ``cloud``'s ``kind`` (ids; names for key pairs),
        from the inventory; asked of the provider when the inventory has
        never listed it or lacks one of ``wanted``."""
        if not self.syncer.modelled(cloud.name, kind):
            return {
                str(pagination.value_of(item, KEYS[kind]))
                for item in _live(cloud, kind)
            }
        keys = self._keys(cloud, kind)
        if set(wanted) - keys:
            keys = self._keys(cloud, kind, fresh=True)
        return keys

    def _keys(self, cloud, kind, fresh=False):
        self._state(cloud, kind, fresh=fresh)
        return {
            str(document[KEYS[kind]])
            for _, document in store.documents(
                self.database, [cloud.name], kind
            )
        }

    # -- every cloud at once ----------------------------------------------

    def farm_nodes(self, clouds, query, limit):
        """A page of the nodes of ``clouds``, in the farm's order: with
        ``errors`` (one per cloud that could not be listed) and
        ``freshness`` (one per cloud listed).  Only the clouds that must
        be asked live are asked, all at once."""
        fresh, max_age = query.get('fresh'), query.get('max_age')
        kept = [c for c in clouds if self.syncer.modelled(c.name, 'nodes')]
        states = self._states([c.name for c in kept], 'nodes')
        asks = {
            cloud.name: (
                lambda c=cloud: self._state(c, 'nodes', fresh, max_age)
            )
            for cloud in kept
            if self._needs_refresh(states.get(cloud.name), fresh, max_age)
        }
        if kept and self.round is not None:
            self.round.ensure()
        asks.update(
            (cloud.name, cloud.list_nodes)
            for cloud in clouds
            if cloud not in kept
        )
        answers, failures = all_at_once(asks)
        failures = {name: exc.to_dict() for name, exc in failures.items()}
        states.update(
            (name, answer)
            for name, answer in answers.items()
            if name in states or self.syncer.modelled(name, 'nodes')
        )
        if not failures and all(states.get(c.name) for c in clouds):
            selected, next_marker = self._page_of_models(
                clouds, states, query, limit
            )
            return {
                'nodes': selected,
                'next_marker': next_marker,
                'errors': [],
                'freshness': [
                    self.freshness(c, 'nodes', states[c.name]) for c in clouds
                ],
            }
        found, freshness = [], []
        for cloud in clouds:
            if cloud in kept and cloud.name not in failures:
                found.append(self._documents(cloud.name, 'nodes', states))
                freshness.append(
                    self.freshness(cloud, 'nodes', states[cloud.name])
                )
            elif cloud.name in answers:
                found.append(
                    [as_document(node) for node in answers[cloud.name]]
                )
                freshness.append(self.freshness(cloud, 'nodes'))
        selected, next_marker = _select(found, query, limit)
        return {
            'nodes': selected,
            'next_marker': next_marker,
            'errors': [failures[c.name] for c in clouds if c.name in failures],
            'freshness': freshness,
        }

    def _page_of_models(self, clouds, states, query, limit):
        """``(nodes, next_marker)`` of a page of the models of ``clouds``,
        made once per revision of those models and query: the same tuple
        of documents while none of them changes (so that the HTTP layer
        may keep its encoding too)."""
        key = (
            tuple((c.name, states[c.name].revision) for c in clouds),
            query.get('name'),
            query.get('state'),
            query.get('marker'),
            limit,
        )
        with self._lock:
            page = self._pages.get(key)
        if page is not None:
            return page
        selected, next_marker = _select(
            [self._documents(c.name, 'nodes', states) for c in clouds],
            query,
            limit,
        )
        page = (tuple(selected), next_marker)
        with self._lock:
            self._pages[key] = page
        return page

    def report_ages(self):
        """Set the ``mw_inventory_age_seconds`` gauge of every kind of
        every cloud the inventory has listed."""
        now = utcnow()
        for kind in KINDS:
            states = store.states(self.database, self.syncer.collectors, kind)
            for cloud, state in states.items():
                age = _age(state, now)
                if age is not None:
                    metrics.INVENTORY_AGE.labels(cloud, kind).set(age)

    def _documents(self, cloud, kind, states):
        """Every present item of ``cloud``'s ``kind``, from the database
        once per revision of its model (``states[cloud]``), then from
        memory: a read of a model that has not changed costs no query."""
        revision = states[cloud].revision
        with self._lock:
            cached = self._cache.get((cloud, kind))
        if cached is not None and cached[0] == revision:
            return cached[1]
        documents = [
            document
            for _, document in store.documents(self.database, [cloud], kind)
        ]
        with self._lock:
            self._cache[(cloud, kind)] = (revision, documents)
        return documents

    def close(self):
        """Stop the periodic round and wait for the syncs under way (each
        bounded by its provider call's deadline)."""
        if self.round is not None:
            self.round.stop(wait=True)
        self.syncer.close()


def _select(groups, query, limit):
    """``(nodes, next_marker)``: the page of the farm's nodes, given as
    one list of documents per cloud, after the query's ``name``,
    ``state`` and ``marker``."""
    nodes = []
    for documents in groups:
        nodes.extend(
            pagination.filter_items(
                documents, name=query.get('name'), state=query.get('state')
            )
        )
    return pagination.paginate(
        nodes, limit, query.get('marker'), key=_farm_key
    )


def _farm_key(node):
    return '%s:%s' % (
        pagination.value_of(node, 'cloud'),
        pagination.value_of(node, 'id'),
    )


def _key(kind):
    return lambda item: pagination.value_of(item, KEYS[kind])
