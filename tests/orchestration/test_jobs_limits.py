"""Per-cloud limits on the provider calls of jobs."""

import collections
import threading
import time

from dispatcher.jobs.limits import CloudSlots, FairSemaphore


class Meter(object):
    """Counts the calls in flight per cloud, and the most at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = collections.Counter()
        self.most = collections.Counter()
        self.finished = []

    def work(self, item, seconds=0.02):
        cloud, name = item
        with self.lock:
            self.now[cloud] += 1
            self.most[cloud] = max(self.most[cloud], self.now[cloud])
        time.sleep(seconds)
        with self.lock:
            self.now[cloud] -= 1
            self.finished.append(name)


def test_no_cloud_gets_more_calls_than_its_limit_at_once():
    slots, meter = CloudSlots(3), Meter()
    items = [('a', 'a%d' % i) for i in range(12)] + [
        ('b', 'b%d' % i) for i in range(5)
    ]
    assert slots.map(items, lambda item: item[0], meter.work) == {}
    assert sorted(meter.finished) == sorted(name for _, name in items)
    assert meter.most['a'] == 3
    assert meter.most['b'] == 3


def test_failures_are_reported_by_item_and_do_not_stop_the_others():
    slots, meter = CloudSlots(2), Meter()

    def work(item):
        if item[1] == 'a2':
            raise ValueError('no')
        meter.work(item, 0)

    items = [('a', 'a%d' % i) for i in range(5)]
    failures = slots.map(items, lambda item: item[0], work)
    assert list(failures) == [2]
    assert isinstance(failures[2], ValueError)
    assert sorted(meter.finished) == ['a0', 'a1', 'a3', 'a4']


def test_jobs_share_a_cloud_limit_and_a_small_job_is_not_starved():
    slots, meter = CloudSlots(2), Meter()
    big = threading.Thread(
        target=slots.map,
        args=(
            [('a', 'big%d' % i) for i in range(20)],
            lambda item: item[0],
            lambda item: meter.work(item, 0.03),
        ),
    )
    big.start()
    while len(meter.finished) < 2:
        time.sleep(0.005)
    slots.map(
        [('a', 'small0'), ('a', 'small1')],
        lambda item: item[0],
        lambda item: meter.work(item, 0.03),
    )
    big.join(30)
    assert meter.most['a'] == 2
    # The small job waited for a few of the big one's calls, not all.
    assert meter.finished.index('small1') < len(meter.finished) - 5


def test_work_that_holds_the_slot_for_its_calls_overlaps_its_bookkeeping():
    slots, calls = CloudSlots(2), Meter()
    inside = Meter()

    def work(item):
        with inside.lock:
            inside.now[item[0]] += 1
            inside.most[item[0]] = max(
                inside.most[item[0]], inside.now[item[0]]
            )
        time.sleep(0.02)  # reading and writing the item's record
        with slots.hold(item[0]):
            calls.work(item)
        with inside.lock:
            inside.now[item[0]] -= 1

    items = [('a', 'a%d' % i) for i in range(12)]
    assert slots.map(items, lambda item: item[0], work, holds=True) == {}
    assert sorted(calls.finished) == sorted(name for _, name in items)
    # More items are worked on at once than the limit, never more calls.
    assert inside.most['a'] > 2
    assert calls.most['a'] == 2


def _waiters(semaphore, entries):
    """Queue a waiter per ``(name, family, rank)`` on ``semaphore`` (all
    of its slots taken), in that order; returns the order they got a slot
    in as the slots are given back one at a time."""
    order, threads = [], []
    for name, family, rank in entries:
        arrived = threading.Event()

        def wait(name=name, family=family, rank=rank, arrived=arrived):
            arrived.set()
            semaphore.acquire(family, rank)
            order.append(name)

        thread = threading.Thread(target=wait)
        thread.start()
        arrived.wait(5)
        # Until it waits (its place in the queue is taken then).
        time.sleep(0.02)
        threads.append(thread)
    for number in range(len(entries)):
        semaphore.release()
        while len(order) < number + 1:
            time.sleep(0.005)
    for thread in threads:
        thread.join(5)
    return order


def test_a_family_s_waiters_go_by_rank_and_families_take_turns():
    semaphore = FairSemaphore(1)
    semaphore.acquire()
    order = _waiters(
        semaphore,
        [
            ('stack child 3', 'stack', 3),
            ('stack child 1', 'stack', 1),
            ('other job', 'other', 0),
            ('stack child 2', 'stack', 2),
            ('stack child 1 again', 'stack', 1),
        ],
    )
    # The stack's children in their order (two waiters of one rank in
    # arrival order), the other job's turn right after the stack's first.
    assert order == [
        'stack child 1',
        'other job',
        'stack child 1 again',
        'stack child 2',
        'stack child 3',
    ]


def test_waiters_of_no_family_go_in_arrival_order():
    semaphore = FairSemaphore(1)
    semaphore.acquire()
    names = ['w%d' % number for number in range(6)]
    order = _waiters(
        semaphore, [(name, None, 5 - i) for i, name in enumerate(names)]
    )
    assert order == names


def test_a_gate_that_is_told_to_stop_gives_its_slot_back():
    slots = CloudSlots(1)

    def stop():
        raise RuntimeError('cancelled')

    gate = slots.gate('a', stop)
    try:
        gate.acquire()
    except RuntimeError:
        pass
    else:
        raise AssertionError('the check did not stop it')
    # The slot is free again.
    with slots.hold('a'):
        pass
