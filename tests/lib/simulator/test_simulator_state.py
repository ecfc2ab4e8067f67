import fcntl
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import dispatcher.lib.simulator as simulator_package
from dispatcher.lib.simulator import SimulatorNodeDriver
from dispatcher.lib.simulator.store import WriteTurns


def test_state_path_parent_directories_are_created(tmp_path):
    path = tmp_path / 'a' / 'b' / 'cloud.sqlite'
    SimulatorNodeDriver('key', state_path=str(path))
    assert path.exists()


def test_state_is_shared_between_instances(make_driver):
    one, two = make_driver(), make_driver()
    node = one.create_node('shared', 'small', 'img-ubuntu-24.04')
    pair = two.create_key_pair('k')
    volume = one.create_volume(3, 'v')
    assert [n.id for n in two.list_nodes()] == [node.id]
    assert [k.fingerprint for k in one.list_key_pairs()] == [pair.fingerprint]
    assert [v.id for v in two.list_volumes()] == [volume.id]
    two.stop_node(node.id)
    assert one.ex_get_node(node.id).state.value == 'stopped'


def test_state_survives_a_restart(make_driver):
    driver = make_driver()
    node = driver.create_node('durable', 'medium', 'img-rocky-9')
    driver.create_key_pair('k')
    del driver
    restarted = make_driver()
    nodes = restarted.list_nodes()
    assert [(n.id, n.name, n.extra['size_id']) for n in nodes] == [
        (node.id, 'durable', 'medium')
    ]
    assert nodes[0].public_ips == node.public_ips
    assert [k.name for k in restarted.list_key_pairs()] == ['k']


def test_concurrent_threads_lose_nothing(make_driver):
    drivers = [make_driver() for _ in range(2)]
    errors, created = [], []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def work(index):
        driver = drivers[index % 2]
        start.wait()
        try:
            for i in range(10):
                node = driver.create_node(
                    't%d-%d' % (index, i), 'small', 'img-ubuntu-24.04'
                )
                with lock:
                    created.append(node)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    listed = drivers[0].list_nodes()
    assert len(listed) == 80
    assert len({n.id for n in listed}) == 80
    assert {n.id for n in listed} == {n.id for n in created}
    assert len({n.public_ips[0] for n in listed}) == 80
    assert len({n.name for n in listed}) == 80


CHILD = textwrap.dedent("""
    import os, sys, time
    from dispatcher.lib.simulator import SimulatorNodeDriver
    path, go, tag = sys.argv[1:4]
    driver = SimulatorNodeDriver('key', state_path=path, boot_time=0)
    deadline = time.monotonic() + 30
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            sys.exit('never told to start')
        time.sleep(0.005)
    for i in range(25):
        driver.create_node('%s-%d' % (tag, i), 'small', 'img-debian-12')
""")


def test_concurrent_processes_lose_nothing(state_path, tmp_path):
    middleware = os.path.dirname(
        os.path.dirname(
            os.path.dirname(
                os.path.dirname(os.path.abspath(simulator_package.__file__))
            )
        )
    )
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [middleware] + [p for p in [env.get('PYTHONPATH')] if p]
    )
    go = str(tmp_path / 'go')
    children = [
        subprocess.Popen(
            [sys.executable, '-W', 'error', '-c', CHILD, state_path, go, tag],
            env=env,
        )
        for tag in ('p1', 'p2')
    ]
    time.sleep(0.5)  # let both build their driver (and schema) first
    open(go, 'w').close()
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    nodes = SimulatorNodeDriver('key', state_path=state_path).list_nodes()
    assert len(nodes) == 50
    assert len({n.id for n in nodes}) == 50
    assert len({n.private_ips[0] for n in nodes}) == 50
    assert {n.name for n in nodes} == {
        '%s-%d' % (tag, i) for tag in ('p1', 'p2') for i in range(25)
    }


def test_drivers_of_one_file_share_its_store_until_the_file_is_made_again(
    make_driver, state_path
):
    one, two = make_driver(), make_driver()
    assert one._store is two._store
    os.remove(state_path)
    three = make_driver()
    assert three._store is not one._store
    # The file made again has its schema: the new driver works on it.
    assert three.create_node('again', 'small', 'img-ubuntu-24.04').name == (
        'again'
    )


def test_a_thread_keeps_its_connection_and_a_failed_write_leaves_no_trace(
    make_driver,
):
    driver = make_driver()
    store = driver._store
    with store.read() as first:
        pass
    with store.write() as again:
        assert again is first
    try:
        with store.write() as db:
            db.execute(
                'INSERT INTO key_pairs (name, public_key, fingerprint, '
                "created_at) VALUES ('half', 'k', 'f', 0)"
            )
            raise RuntimeError('the provider failed half-way')
    except RuntimeError:
        pass
    # Rolled back, and the next write on this thread works.
    driver.create_node('after', 'small', 'img-ubuntu-24.04')
    assert [k.name for k in driver.list_key_pairs()] == []
    assert [n.name for n in driver.list_nodes()] == ['after']
    # Another thread has a connection of its own.
    with store.read() as mine:
        other = []

        def use():
            with store.read() as theirs:
                other.append(theirs)

        thread = threading.Thread(target=use)
        thread.start()
        thread.join()
    assert other and other[0] is not mine


def test_a_write_waits_for_another_process_s_turn_then_goes_on(
    make_driver, state_path
):
    """Writers take turns on ``<state file>.lock`` before they ask SQLite:
    a write waits while another holds the turn (here the test, as another
    process would), and goes on the moment it is given back."""
    driver = make_driver()
    done = threading.Event()
    descriptor = os.open(state_path + '.lock', os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        writer = threading.Thread(
            target=lambda: (driver.create_key_pair('k'), done.set())
        )
        writer.start()
        assert not done.wait(0.5)
        assert driver.list_key_pairs() == []  # reads do not wait
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        assert done.wait(10)
        writer.join()
    finally:
        os.close(descriptor)
    assert [pair.name for pair in driver.list_key_pairs()] == ['k']
    assert oct(os.stat(state_path + '.lock').st_mode & 0o777) == '0o600'


def test_a_turn_that_never_comes_fails_as_a_busy_database(state_path):
    turns = WriteTurns(state_path, timeout=0.3)
    with turns():
        pass
    descriptor = os.open(state_path + '.lock', os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match='locked'):
            with turns():
                pass
        assert time.monotonic() - started >= 0.3
        fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
    with turns():
        pass
