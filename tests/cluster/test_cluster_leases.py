"""Periodic work once per cluster: the cluster leases in the database.

Each test runs on SQLite and on PostgreSQL.
"""

import subprocess
import sys
import threading
import time

from dispatcher.jobs.periodic import ClusterTurn, Periodic
from dispatcher.storage import cluster


def test_one_owner_holds_a_lease_until_it_expires(database):
    assert cluster.hold(database, 'round', 'a', 30)
    assert not cluster.hold(database, 'round', 'b', 30)
    # Its owner renews it.
    assert cluster.hold(database, 'round', 'a', 30)
    assert cluster.holder(database, 'round')[0] == 'a'


def test_an_expired_lease_goes_to_the_next_process(database):
    assert cluster.hold(database, 'round', 'a', 0.2)
    time.sleep(0.3)
    assert cluster.hold(database, 'round', 'b', 30)
    assert not cluster.hold(database, 'round', 'a', 30)


def test_a_released_lease_is_taken_at_once(database):
    assert cluster.hold(database, 'round', 'a', 30)
    cluster.release(database, 'round', 'b')  # not b's: nothing happens
    assert not cluster.hold(database, 'round', 'b', 30)
    cluster.release(database, 'round', 'a')
    assert cluster.hold(database, 'round', 'b', 30)


def test_leases_of_different_work_are_apart(database):
    assert cluster.hold(database, 'inventory-round', 'a', 30)
    assert cluster.hold(database, 'job-keeper', 'b', 30)


def test_a_dead_process_of_this_host_leaves_its_work_at_once(database):
    # The lease of a process that has ended, before it expires.
    dead = subprocess.run(
        [sys.executable, '-c', 'import os; print(os.getpid())'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    import socket

    owner = '%s:%s:deadbeef' % (socket.gethostname(), dead)
    assert cluster.hold(database, 'job-keeper', owner, 300)
    turn = ClusterTurn(database, 'job-keeper', 300)
    assert turn.mine()
    assert cluster.holder(database, 'job-keeper')[0] == turn.owner


def test_of_two_processes_one_does_the_periodic_work(database):
    done = {'first': 0, 'second': 0}
    lock = threading.Lock()

    def counter(name):
        def count():
            with lock:
                done[name] += 1

        return count

    rounds = [
        Periodic(
            'inventory-round',
            0.05,
            counter(name),
            turn=ClusterTurn(database, 'inventory-round', 5),
        )
        for name in ('first', 'second')
    ]
    rounds[0].ensure()
    time.sleep(0.3)
    rounds[1].ensure()
    time.sleep(0.5)
    assert done['first'] > 0 and done['second'] == 0, done
    # The first stops (and gives the lease up): the second takes over.
    rounds[0].stop(wait=True)
    before = done['second']
    deadline = time.monotonic() + 10
    while done['second'] == before and time.monotonic() < deadline:
        time.sleep(0.05)
    rounds[1].stop(wait=True)
    assert done['second'] > before


def test_the_holder_renews_its_lease_once_a_third_of_it_has_passed(database):
    turn = ClusterTurn(database, 'inventory-round', 3)
    other = ClusterTurn(database, 'inventory-round', 3)
    assert turn.mine()
    first = cluster.holder(database, 'inventory-round')
    # Within a third of the lease: held, and nothing written.
    assert turn.mine()
    assert not other.mine()
    assert cluster.holder(database, 'inventory-round') == first
    time.sleep(1.1)
    assert turn.mine()
    owner, expires_at = cluster.holder(database, 'inventory-round')
    assert owner == first[0] == turn.owner
    assert expires_at > first[1]
    assert not other.mine()
    # Given up, it is another's at once, and asked again before it is
    # taken back.
    turn.release()
    assert other.mine()
    assert not turn.mine()


def test_a_process_waiting_for_a_held_lease_only_reads_it(database):
    import sqlalchemy

    turn = ClusterTurn(database, 'job-keeper', 30)
    other = ClusterTurn(database, 'job-keeper', 30)
    assert turn.mine()
    written = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith('SELECT'):
            written.append(statement)

    sqlalchemy.event.listen(database.engine, 'before_cursor_execute', count)
    try:
        for _ in range(5):
            assert not other.mine()
    finally:
        sqlalchemy.event.remove(
            database.engine, 'before_cursor_execute', count
        )
    assert [w for w in written if 'cluster_leases' in w] == []
