"""How a big stack's creates are cut into child jobs."""

import collections
import threading
import time

from sqlalchemy import update

from dispatcher import storage
from dispatcher.services import jobs as job_service
from dispatcher.services import stack_fanout
from dispatcher.services.stack_fanout import CHILD_KIND, chunks
from dispatcher.storage.models import Job


class Node(object):
    def __init__(self, cloud, index):
        self.cloud = cloud
        self.id = '%s-%d' % (cloud, index)


def nodes_of(counts):
    return [
        Node(cloud, index)
        for cloud, count in counts.items()
        for index in range(count)
    ]


def test_every_node_is_in_exactly_one_child_of_at_most_the_size():
    nodes = nodes_of({'a': 125, 'b': 125, 'c': 7})
    parts = chunks(nodes, 25)
    ids = [node.id for part in parts for node in part]
    assert sorted(ids) == sorted(node.id for node in nodes)
    assert len(ids) == len(set(ids))
    assert all(1 <= len(part) <= 25 for part in parts)
    assert len(parts) == 11  # 257 nodes, 25 a child


def test_each_child_takes_the_clouds_in_turn():
    # Whichever worker runs a child makes calls to every cloud at once.
    parts = chunks(nodes_of({'a': 50, 'b': 50, 'c': 50, 'd': 50}), 8)
    for part in parts:
        assert collections.Counter(n.cloud for n in part) == {
            'a': 2,
            'b': 2,
            'c': 2,
            'd': 2,
        }


def test_a_cloud_with_more_nodes_fills_the_last_children():
    parts = chunks(nodes_of({'a': 3, 'b': 10}), 4)
    assert [[n.cloud for n in part] for part in parts] == [
        ['a', 'b', 'a', 'b'],
        ['a', 'b', 'b', 'b'],
        ['b', 'b', 'b', 'b'],
        ['b'],
    ]


class Parent(object):
    """What ``_wait`` sees of the parent job: its database, and no
    cancellation."""

    def __init__(self, database):
        self.database = database
        self.job_id = 'parent-job-id'
        self.target_id = 'stack-id'
        self.done = []

    def progress(self, done=None, total=None, session=None):
        self.done.append(done)

    def check(self, cancellable=True):
        pass

    def cancel_requested(self):
        return False


def test_the_meanwhile_rounds_run_beside_the_wait_and_end_with_it(
    stack_app,
):
    database = storage.database(stack_app)
    with database.session(write=True) as session:
        children = []
        for _ in range(2):
            job = job_service.new_job(session, CHILD_KIND, 'someone', total=1)
            job.status = 'running'  # making their shares
            children.append(job.id)
    rounds, running, written = [], threading.Event(), []
    recorded = threading.Event()

    def meanwhile(recording):
        rounds.append(time.monotonic())
        running.set()
        if len(rounds) == 1:
            raise RuntimeError('a listing failed')
        time.sleep(0.3)
        with recording() as wanted:
            if wanted:
                written.append(time.monotonic())
                recorded.set()

    def end_children():
        running.wait(10)
        recorded.wait(10)
        time.sleep(0.2)
        with database.session(write=True) as session:
            session.execute(
                update(Job)
                .where(Job.id.in_(children))
                .values(status='succeeded', progress_done=1)
            )

    ender = threading.Thread(target=end_children)
    ender.start()
    parent = Parent(database)
    stack_fanout._wait(parent, children, meanwhile)
    ended = time.monotonic()
    ender.join()
    seen = len(rounds)
    # A failed round did not stop the next ones; no round runs on after
    # the wait has ended.
    assert seen >= 2, rounds
    time.sleep(1.5)
    assert len(rounds) == seen
    assert not [t.name for t in threading.enumerate() if 'meanwhile' in t.name]
    assert parent.done[-1] == 2
    # Rounds recorded what they saw while the wait went on, none after.
    assert written and max(written) <= ended


def test_the_end_of_the_wait_does_not_wait_for_a_listing_and_drops_it():
    rounds = stack_fanout._Rounds()
    listing, listed, outcome = (
        threading.Event(),
        threading.Event(),
        [],
    )

    def meanwhile(recording):
        listing.set()
        listed.wait(10)  # a provider's listing under way
        with recording() as wanted:
            outcome.append(wanted)

    thread = threading.Thread(target=rounds.run, args=(meanwhile,))
    thread.start()
    assert listing.wait(10)
    started = time.monotonic()
    rounds.close()
    assert time.monotonic() - started < 1.0
    listed.set()
    thread.join(10)
    assert not thread.is_alive()
    # The round that was listing when the wait ended recorded nothing,
    # and no other round started.
    assert outcome == [False]
