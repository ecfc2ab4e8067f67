"""Per-cloud limits on the provider calls of jobs."""

import collections
import threading
import time

from dispatcher.jobs.limits import CloudSlots


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
