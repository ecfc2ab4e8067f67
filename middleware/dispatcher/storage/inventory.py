"""The inventory's tables: what each cloud has, and the syncs that keep it.

An item is a document (the API's value object) with its key (the
provider's id, a key pair's name), ``first_seen``, ``last_seen`` and
``missing_since``.  A sync row per cloud and kind holds the model's
revision, the last sync's outcome, when the next one is due, and a lease:
a process syncs a cloud's kind only while it holds that row's lease, so
that many processes on many hosts never sync one cloud at once.
"""

import dataclasses
import datetime

from sqlalchemy import bindparam, delete, insert, or_, select, update

from dispatcher.storage import dialect_insert, statements
from dispatcher.storage.models import InventoryItem, InventorySync
from dispatcher.storage.types import utcnow

#: Items one statement updates at most.
CHUNK = 500


@dataclasses.dataclass(frozen=True)
class Row:
    """An item to store: its key, name, state and document."""

    key: str
    name: str | None
    state: str | None
    document: dict


@dataclasses.dataclass(frozen=True)
class SyncState:
    """What the inventory knows of one cloud's kind."""

    cloud: str
    kind: str
    revision: int
    observed_at: datetime.datetime | None
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    outcome: str | None
    error: dict | None
    next_due_at: datetime.datetime
    syncing: bool


def _later(seconds, now=None):
    return (now or utcnow()) + datetime.timedelta(seconds=seconds)


def _free(now):
    return or_(
        InventorySync.lease_owner.is_(None),
        InventorySync.lease_expires_at <= now,
    )


def ensure(database, cloud, first_due):
    """Make the sync rows of ``cloud``'s kinds; ``first_due`` maps each
    kind to when its first sync is due.  Existing rows stay as they are."""
    if not first_due:
        return
    # Several processes may make them at once: the first one wins.
    with database.session(write=True) as session:
        session.execute(
            database.insert(InventorySync)
            .values(
                [
                    {
                        'cloud': cloud,
                        'kind': kind,
                        'revision': 0,
                        'next_due_at': due_at,
                    }
                    for kind, due_at in first_due.items()
                ]
            )
            .on_conflict_do_nothing(index_elements=['cloud', 'kind'])
        )


def due(database, clouds, now=None):
    """``(cloud, kind)`` of the syncs due now that nobody holds."""
    now = now or utcnow()
    with database.session() as session:
        return list(
            session.execute(
                select(InventorySync.cloud, InventorySync.kind)
                .where(
                    InventorySync.cloud.in_(list(clouds)),
                    InventorySync.next_due_at <= now,
                    _free(now),
                )
                .order_by(InventorySync.next_due_at)
            )
        )


def claim(database, cloud, kind, owner, seconds, due_only=False):
    """Take the lease of ``cloud``'s ``kind`` for ``seconds``; the time
    the sync starts when ``owner`` holds it now, else ``None``."""
    now = utcnow()
    conditions = [
        InventorySync.cloud == cloud,
        InventorySync.kind == kind,
        _free(now),
    ]
    if due_only:
        conditions.append(InventorySync.next_due_at <= now)
    with database.session(write=True) as session:
        taken = session.execute(
            update(InventorySync)
            .where(*conditions)
            .values(
                lease_owner=owner,
                lease_expires_at=_later(seconds, now),
                started_at=now,
            )
        ).rowcount
    return now if taken == 1 else None


@dataclasses.dataclass(frozen=True)
class Lease:
    """Who holds a sync's lease, and when the next sync is due: in
    ``period`` seconds, or in ``burst_interval`` while a burst lasts."""

    owner: str
    period: float
    burst_interval: float


def release(database, cloud, kind, lease):
    """Give up a :class:`Lease` of ``cloud``'s ``kind``."""
    with database.session(write=True) as session:
        _release(_sync_row(session, cloud, kind, lock=True), lease)


def _release(row, lease):
    if row is None or row.lease_owner != lease.owner:
        return
    now = utcnow()
    row.lease_owner = None
    row.lease_expires_at = None
    in_burst = row.burst_until is not None and row.burst_until > now
    row.next_due_at = _later(
        lease.burst_interval if in_burst else lease.period, now
    )


def _sync_row(session, cloud, kind, lock=False):
    query = select(InventorySync).where(
        InventorySync.cloud == cloud, InventorySync.kind == kind
    )
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def record_failure(database, cloud, kind, error, lease):
    """The sync that started at the row's ``started_at`` failed with
    ``error`` (a dict with ``code`` and ``message``); the model stays.
    The sync's ``lease`` is given up in the same transaction."""
    with database.session(write=True) as session:
        row = _sync_row(session, cloud, kind, lock=True)
        row.finished_at = utcnow()
        row.outcome = 'error'
        row.error = error
        _release(row, lease)


def record_listing(
    database, cloud, kind, rows, started_at, lease, confirm_seconds=60
):
    """The provider listed ``rows`` (:class:`Row`) in a sync that started
    at ``started_at``: items are added or updated, and those it did not
    list (and nobody has seen since it started) are marked missing.  An
    item it was asked to delete and still lists stays ``deleting``, then
    is ``delete_failed`` after ``confirm_seconds``.  The sync's ``lease``
    is given up in the same transaction.  Returns the model's revision."""
    now = utcnow()
    with database.session(write=True) as session:
        sync = _sync_row(session, cloud, kind, lock=True)
        stored = {
            item.key: item
            for item in session.execute(
                select(
                    InventoryItem.seq,
                    InventoryItem.key,
                    InventoryItem.document,
                    InventoryItem.missing_since,
                    InventoryItem.last_seen,
                    InventoryItem.deleting_since,
                ).where(
                    InventoryItem.cloud == cloud, InventoryItem.kind == kind
                )
            )
        }
        listed = {}
        for row in rows:
            item = stored.get(row.key)
            if item is not None and item.deleting_since is not None:
                row = _still_listed(
                    row, item.deleting_since, now, confirm_seconds
                )
            listed.setdefault(row.key, row)
        new = [row for key, row in listed.items() if key not in stored]
        changed = [
            (stored[key].seq, row)
            for key, row in listed.items()
            if key in stored
            and (
                stored[key].document != row.document
                or stored[key].missing_since is not None
            )
        ]
        gone = [
            item.seq
            for key, item in stored.items()
            if key not in listed
            and item.missing_since is None
            and item.last_seen < started_at
        ]
        if new:
            session.execute(
                insert(InventoryItem),
                [_new_item(cloud, kind, row, now) for row in new],
            )
        if changed:
            # One statement, run for every changed item: while a stack's
            # nodes boot, each listing finds many.
            session.connection().execute(
                statements.update_by(ITEMS, 'seq', LISTED_COLUMNS),
                [
                    statements.values(
                        {
                            'document': row.document,
                            'name': row.name,
                            'state': row.state,
                            'missing_since': None,
                        },
                        where_seq=seq,
                    )
                    for seq, row in changed
                ],
            )
        seen = [item.seq for key, item in stored.items() if key in listed]
        _in_chunks(session, seen, last_seen=now)
        _in_chunks(session, gone, missing_since=started_at)
        sync.finished_at = now
        sync.outcome = 'ok'
        sync.error = None
        sync.observed_at = started_at
        if new or changed or gone:
            sync.revision += 1
        _release(sync, lease)
        return sync.revision


#: The columns a listing sets on an item it finds changed.
LISTED_COLUMNS = ('document', 'missing_since', 'name', 'state')

#: The columns :func:`_new_item` gives.
NEW_ITEM_COLUMNS = (
    'cloud',
    'kind',
    'key',
    'name',
    'state',
    'document',
    'first_seen',
    'last_seen',
)


def _new_item(cloud, kind, row, now):
    """The columns of an item first seen ``now``."""
    return dict(
        cloud=cloud,
        kind=kind,
        key=row.key,
        name=row.name,
        state=row.state,
        document=row.document,
        first_seen=now,
        last_seen=now,
    )


def _in_chunks(session, seqs, **values):
    """Set ``values`` on the items ``seqs``, a few hundred at a time."""
    for start in range(0, len(seqs), CHUNK):
        session.execute(
            update(InventoryItem)
            .where(InventoryItem.seq.in_(seqs[start : start + CHUNK]))
            .values(**values)
        )


def _store(session, item, cloud, kind, row, now):
    """Add or update one item; whether the model changed."""
    if item is None:
        session.add(InventoryItem(**_new_item(cloud, kind, row, now)))
        return True
    changed = item.document != row.document or item.missing_since is not None
    if changed:
        item.document = row.document
        item.name = row.name
        item.state = row.state
        item.missing_since = None
    item.last_seen = now
    return changed


#: The columns of the inventory's tables, for the statements of
#: :func:`put`: the one write every node created, changed or deleted
#: through the service makes, kept to plain statements (no ORM objects).
ITEMS = InventoryItem.__table__
SYNCS = InventorySync.__table__


def put(database, cloud, kind, row, confirm_seconds=60):
    """Record one item as the provider has it now; returns its document
    as the inventory keeps it (``deleting`` or ``delete_failed`` when the
    provider still has an item it was asked to delete)."""
    now = utcnow()
    which = {'where_cloud': cloud, 'where_kind': kind}
    if not database.is_sqlite and _put_new(
        database, which, cloud, kind, row, now
    ):
        return row.document
    with database.session(write=True) as session:
        connection = session.connection()
        # The sync row is locked first, as a listing locks it: a put and
        # a listing of one cloud's kind never interleave.  The statement
        # that locks it moves the model's revision on too: a put is made
        # for a change (a node made, acted on or deleted); one that finds
        # nothing new costs the readers' caches a read, never a wrong
        # answer.
        connection.execute(_next_revision(), which)
        # A new item (a node just made) is one statement; one the
        # inventory has already is read, then updated.
        made = connection.execute(
            _insert_new(database.is_sqlite),
            statements.values(_new_item(cloud, kind, row, now)),
        ).first()
        if made is None:
            item = connection.execute(
                _read_item(), dict(which, where_key=row.key)
            ).one()
            if item.deleting_since is not None:
                row = _still_listed(
                    row, item.deleting_since, now, confirm_seconds
                )
            changed = (
                item.document != row.document or item.missing_since is not None
            )
            values = {'last_seen': now}
            if changed:
                values.update(
                    document=row.document,
                    name=row.name,
                    state=row.state,
                    missing_since=None,
                )
            connection.execute(
                statements.update_by(ITEMS, 'seq', tuple(sorted(values))),
                statements.values(values, where_seq=item.seq),
            )
        return row.document


def _put_new(database, which, cloud, kind, row, now):
    """PostgreSQL: store a new item (a node just made) with one statement
    that moves the sync row's revision on first, committed as it runs;
    whether it did.  The sync row's lock is held for the statement only,
    not for a transaction's round trips: the puts of many nodes made at
    once, on many workers, each wait for it in turn.  ``False`` when the
    item is known already (or the sync row is missing): the caller's
    transaction then reads and updates it."""
    with database.engine.connect() as connection:
        connection = connection.execution_options(isolation_level='AUTOCOMMIT')
        made = connection.execute(
            _insert_new_after_revision(),
            statements.values(_new_item(cloud, kind, row, now), **which),
        ).first()
    return made is not None


# The statements of :func:`put`, built once (see :mod:`.statements`).
_WHERE_SYNC = (
    SYNCS.c.cloud == bindparam('where_cloud'),
    SYNCS.c.kind == bindparam('where_kind'),
)


@statements.once_per_shape
def _insert_new(is_sqlite):
    return (
        dialect_insert(is_sqlite)(ITEMS)
        .values(statements.binds(NEW_ITEM_COLUMNS))
        .on_conflict_do_nothing(index_elements=['cloud', 'kind', 'key'])
        .returning(ITEMS.c.seq)
    )


@statements.once_per_shape
def _insert_new_after_revision():
    # The item's values are selected from the sync row's update, so the
    # row is locked (and the revision moved on) before the item is
    # written: a put and a listing never interleave.
    moved = (
        update(SYNCS)
        .where(*_WHERE_SYNC)
        .values(revision=SYNCS.c.revision + 1)
        .returning(SYNCS.c.revision)
        .cte('moved')
    )
    return (
        dialect_insert(False)(ITEMS)
        .from_select(
            list(NEW_ITEM_COLUMNS),
            select(
                *(
                    bindparam(
                        statements.PREFIX + name, type_=ITEMS.c[name].type
                    )
                    for name in NEW_ITEM_COLUMNS
                )
            ).select_from(moved),
        )
        .on_conflict_do_nothing(index_elements=['cloud', 'kind', 'key'])
        .returning(ITEMS.c.seq)
    )


@statements.once_per_shape
def _read_item():
    return select(
        ITEMS.c.seq,
        ITEMS.c.document,
        ITEMS.c.missing_since,
        ITEMS.c.deleting_since,
    ).where(
        ITEMS.c.cloud == bindparam('where_cloud'),
        ITEMS.c.kind == bindparam('where_kind'),
        ITEMS.c.key == bindparam('where_key'),
    )


@statements.once_per_shape
def _next_revision():
    return (
        update(SYNCS).where(*_WHERE_SYNC).values(revision=SYNCS.c.revision + 1)
    )


def mark_deleting(database, cloud, kind, key, confirm_seconds=60):
    """The provider accepted to delete item ``key``: it is ``deleting``
    until a sync no longer finds it."""
    now = utcnow()
    with database.session(write=True) as session:
        sync = _sync_row(session, cloud, kind, lock=True)
        item = _item(session, cloud, kind, key)
        if item is None or item.missing_since is not None:
            return
        if 'state' not in item.document:
            # Gone at once (a key pair): nothing to wait for.
            item.missing_since = now
            if sync:
                sync.revision += 1
            return
        item.deleting_since = now
        row = _still_listed(
            Row(item.key, item.name, item.state, item.document),
            item.deleting_since,
            now,
            confirm_seconds,
        )
        if _store(session, item, cloud, kind, row, item.last_seen) and sync:
            sync.revision += 1


def _item(session, cloud, kind, key):
    return session.scalars(
        select(InventoryItem).where(
            InventoryItem.cloud == cloud,
            InventoryItem.kind == kind,
            InventoryItem.key == key,
        )
    ).first()


def _still_listed(row, deleting_since, now, confirm_seconds):
    """``row`` of an item the provider was asked to delete and still
    lists: ``deleting``, or ``delete_failed`` with the reason in its
    ``extra`` once ``confirm_seconds`` have passed.  An item listed as
    ``terminated`` or ``deleted`` is gone (as EC2 lists terminated
    instances for a while), and one without a state (a key pair) stays as
    it is."""
    if row.document.get('state') in (None, 'terminated', 'deleted'):
        return row
    waited = (now - deleting_since).total_seconds()
    document = dict(row.document, state='deleting', actions=[])
    if waited > confirm_seconds:
        document['state'] = 'delete_failed'
        document['extra'] = dict(
            document.get('extra') or {},
            delete_error='the provider accepted to delete it %d s ago and '
            'still lists it' % waited,
        )
    if 'actions' not in row.document:
        document.pop('actions')
    return Row(row.key, row.name, document['state'], document)


def remove(database, cloud, kind, key):
    """Record that item ``key`` is gone from the provider."""
    with database.session(write=True) as session:
        sync = _sync_row(session, cloud, kind, lock=True)
        done = session.execute(
            update(InventoryItem)
            .where(
                InventoryItem.cloud == cloud,
                InventoryItem.kind == kind,
                InventoryItem.key == key,
                InventoryItem.missing_since.is_(None),
            )
            .values(missing_since=utcnow())
        ).rowcount
        if done and sync:
            sync.revision += 1


def burst(database, cloud, kind, interval, seconds):
    """Sync ``cloud``'s ``kind`` every ``interval`` seconds for the next
    ``seconds``: the provider is changing it."""
    now = utcnow()
    with database.session(write=True) as session:
        session.execute(
            update(InventorySync)
            .where(InventorySync.cloud == cloud, InventorySync.kind == kind)
            .values(burst_until=_later(seconds, now))
        )
        session.execute(
            update(InventorySync)
            .where(
                InventorySync.cloud == cloud,
                InventorySync.kind == kind,
                InventorySync.next_due_at > _later(interval, now),
            )
            .values(next_due_at=_later(interval, now))
        )


def bursting(database, cloud, kind):
    """Whether ``cloud``'s ``kind`` is in a burst of syncs now."""
    with database.session() as session:
        until = session.scalar(
            select(InventorySync.burst_until).where(
                InventorySync.cloud == cloud, InventorySync.kind == kind
            )
        )
    return until is not None and until > utcnow()


def _state(row, now):
    return SyncState(
        cloud=row.cloud,
        kind=row.kind,
        revision=row.revision,
        observed_at=row.observed_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        outcome=row.outcome,
        error=row.error,
        next_due_at=row.next_due_at,
        syncing=row.lease_owner is not None
        and row.lease_expires_at is not None
        and row.lease_expires_at > now,
    )


def states(database, clouds, kind):
    """Cloud -> :class:`SyncState` of ``kind`` for those of ``clouds``
    that have a sync row."""
    return states_of(sync_rows(database, clouds, kind))


def sync_rows(database, clouds, kind):
    """The sync rows of ``kind`` of those of ``clouds`` that have one, as
    a tuple that may be kept (they are read once, never changed)."""
    with database.session() as session:
        return tuple(
            session.scalars(
                select(InventorySync).where(
                    InventorySync.cloud.in_(list(clouds)),
                    InventorySync.kind == kind,
                )
            )
        )


def states_of(rows, now=None):
    """Cloud -> :class:`SyncState` of :func:`sync_rows`, as of ``now``."""
    now = now or utcnow()
    return {row.cloud: _state(row, now) for row in rows}


def settles_at(rows, now):
    """When the first sync lease of :func:`sync_rows` running at ``now``
    runs out (its state's ``syncing`` turns false without any write), or
    ``None`` when none runs."""
    return min(
        (
            row.lease_expires_at
            for row in rows
            if row.lease_owner is not None
            and row.lease_expires_at is not None
            and row.lease_expires_at > now
        ),
        default=None,
    )


def find(database, cloud, kind, key):
    """The document of item ``key``, or ``None`` (unknown or missing)."""
    with database.session() as session:
        return session.scalar(
            select(InventoryItem.document).where(
                InventoryItem.cloud == cloud,
                InventoryItem.kind == kind,
                InventoryItem.key == key,
                InventoryItem.missing_since.is_(None),
            )
        )


def documents(database, clouds, kind):
    """``(cloud, document)`` of every present item of ``clouds``, in the
    order they were first seen."""
    with database.session() as session:
        return list(
            session.execute(
                select(InventoryItem.cloud, InventoryItem.document)
                .where(
                    InventoryItem.cloud.in_(list(clouds)),
                    InventoryItem.kind == kind,
                    InventoryItem.missing_since.is_(None),
                )
                .order_by(InventoryItem.seq)
            )
        )


def forget(database, seconds):
    """Delete the items missing for more than ``seconds``; how many."""
    with database.session(write=True) as session:
        return session.execute(
            delete(InventoryItem).where(
                InventoryItem.missing_since.is_not(None),
                InventoryItem.missing_since < _later(-seconds),
            )
        ).rowcount
