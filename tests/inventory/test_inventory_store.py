"""The inventory's tables and leases, on SQLite and PostgreSQL."""

import datetime
import multiprocessing

import pytest

from dispatcher import storage
from dispatcher.storage import inventory as store
from dispatcher.storage import schema
from dispatcher.storage.types import utcnow


@pytest.fixture
def database(database_url):  # noqa: F811
    opened = storage.Database(database_url)
    schema.upgrade(opened)
    store.ensure(opened, 'c1', {'nodes': utcnow(), 'images': utcnow()})
    yield opened
    opened.dispose()


#: The lease the tests' syncs hold.
LEASE = store.Lease('a', 60, 1)


def row(key, name=None, state='running'):
    return store.Row(key, name or key, state, {'id': key, 'name': name or key})


def test_one_owner_at_a_time_holds_a_kind(database):
    assert store.claim(database, 'c1', 'nodes', 'a', 60)
    assert store.claim(database, 'c1', 'nodes', 'b', 60) is None
    assert store.claim(database, 'c1', 'images', 'b', 60)
    store.release(database, 'c1', 'nodes', store.Lease('a', 60, 1))
    assert store.claim(database, 'c1', 'nodes', 'b', 60)


def test_an_expired_lease_can_be_taken(database):
    assert store.claim(database, 'c1', 'nodes', 'a', -1)
    assert store.claim(database, 'c1', 'nodes', 'b', 60)


def test_a_released_kind_is_due_after_its_period_or_burst(database):
    store.claim(database, 'c1', 'nodes', 'a', 60)
    store.release(database, 'c1', 'nodes', store.Lease('a', 600, 1))
    assert ('c1', 'nodes') not in store.due(database, ['c1'])
    store.burst(database, 'c1', 'nodes', 0.0, 30)
    assert ('c1', 'nodes') in [tuple(r) for r in store.due(database, ['c1'])]
    store.claim(database, 'c1', 'nodes', 'a', 60)
    store.release(database, 'c1', 'nodes', store.Lease('a', 600, 5))
    state = store.states(database, ['c1'], 'nodes')['c1']
    assert state.next_due_at < utcnow() + datetime.timedelta(seconds=6)


def test_a_listing_gives_up_its_lease_in_the_same_transaction(database):
    started = store.claim(database, 'c1', 'nodes', 'a', 60)
    store.record_listing(database, 'c1', 'nodes', [row('n1')], started, LEASE)
    assert store.claim(database, 'c1', 'nodes', 'b', 60)
    store.record_failure(
        database,
        'c1',
        'nodes',
        {'code': 'provider_error', 'message': 'down'},
        store.Lease('b', 60, 1),
    )
    state = store.states(database, ['c1'], 'nodes')['c1']
    assert not state.syncing
    assert state.outcome == 'error'
    assert state.observed_at == started


def test_a_listing_adds_updates_and_marks_missing(database):
    started = store.claim(database, 'c1', 'nodes', 'a', 60)
    first = store.record_listing(
        database, 'c1', 'nodes', [row('n1'), row('n2')], started, LEASE
    )
    assert [
        d['id']
        for d in store.documents(database, ['c1'], 'nodes')
        for d in [d[1]]
    ] == ['n1', 'n2']
    started = store.claim(database, 'c1', 'nodes', 'a', 60)
    same = store.record_listing(
        database, 'c1', 'nodes', [row('n1'), row('n2')], started, LEASE
    )
    assert same == first
    later = utcnow() + datetime.timedelta(seconds=1)
    changed = store.record_listing(
        database, 'c1', 'nodes', [row('n2', state='stopped')], later, LEASE
    )
    assert changed == first + 1
    assert store.find(database, 'c1', 'nodes', 'n1') is None
    assert store.find(database, 'c1', 'nodes', 'n2') is not None
    back = store.record_listing(
        database,
        'c1',
        'nodes',
        [row('n1'), row('n2', state='stopped')],
        later + datetime.timedelta(seconds=1),
        LEASE,
    )
    assert back == changed + 1
    assert store.find(database, 'c1', 'nodes', 'n1') is not None


def test_an_item_put_after_a_listing_began_is_not_marked_missing(database):
    started = store.claim(database, 'c1', 'nodes', 'a', 60)
    store.put(database, 'c1', 'nodes', row('made-meanwhile'))
    store.record_listing(database, 'c1', 'nodes', [], started, LEASE)
    assert store.find(database, 'c1', 'nodes', 'made-meanwhile')


def test_a_put_stores_a_new_item_or_updates_a_known_one_and_moves_on(
    database,
):
    def revision():
        return store.states(database, ['c1'], 'nodes')['c1'].revision

    def node(key, state='running'):
        return store.Row(key, key, state, {'id': key, 'state': state})

    before = revision()
    store.put(database, 'c1', 'nodes', node('n1', 'pending'))
    assert store.find(database, 'c1', 'nodes', 'n1')['state'] == 'pending'
    assert revision() == before + 1
    store.put(database, 'c1', 'nodes', node('n1'))
    assert store.find(database, 'c1', 'nodes', 'n1')['state'] == 'running'
    assert revision() > before + 1
    # One item: the second put updated the first one's row.
    listed = store.documents(database, ['c1'], 'nodes')
    assert [document['id'] for _, document in listed] == ['n1']
    # A cloud whose sync rows are not made yet still keeps the item.
    store.put(database, 'c2', 'nodes', node('n2'))
    assert store.find(database, 'c2', 'nodes', 'n2')['state'] == 'running'


def test_documents_follow_the_first_seen_order(database):
    started = store.claim(database, 'c1', 'images', 'a', 60)
    rows = [row('i%02d' % n) for n in range(7)]
    store.record_listing(database, 'c1', 'images', rows, started, LEASE)
    listed = store.documents(database, ['c1'], 'images')
    assert [document['id'] for _, document in listed] == [r.key for r in rows]


def test_items_missing_for_long_are_forgotten(database):
    store.put(database, 'c1', 'nodes', row('old'))
    store.remove(database, 'c1', 'nodes', 'old')
    assert store.forget(database, 3600) == 0
    assert store.forget(database, -1) == 1


def _claim_in_a_process(url, owner, results):
    database = storage.Database(url)
    try:
        results.put(
            (
                owner,
                store.claim(database, 'c1', 'nodes', owner, 60) is not None,
            )
        )
    finally:
        database.dispose()


def test_processes_claiming_at_once_get_one_lease(database, database_url):
    context = multiprocessing.get_context('spawn')
    results = context.Queue()
    processes = [
        context.Process(
            target=_claim_in_a_process,
            args=(database_url, 'p%d' % n, results),
        )
        for n in range(4)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    outcomes = [results.get(timeout=5) for _ in processes]
    assert sum(taken for _, taken in outcomes) == 1
