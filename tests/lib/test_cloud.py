"""A cloud at run time: worker threads, their drivers, deadlines."""

import threading
import time

import pytest

from dispatcher import errors
from dispatcher.lib.cloud import gated
from dispatcher.lib.cloud_factory import values
from dispatcher.lib.cloud_factory.drivers import GenericDriver
from dispatcher.lib.cloud_factory.drivers.simulator import SimulatorDriver
from dispatcher.lib.cloud_init import prepare_cloud


class RecordingDriver(SimulatorDriver):
    """Records which threads use each connected libcloud driver."""

    def __init__(self, creds):
        super(RecordingDriver, self).__init__(creds)
        self.users = {}
        self.lock = threading.Lock()

    def list_sizes(self, driver, cloud):
        with self.lock:
            self.users.setdefault(id(driver), set()).add(threading.get_ident())
        time.sleep(0.01)
        return super(RecordingDriver, self).list_sizes(driver, cloud)


def _cloud(tmp_path, max_concurrency=4, **extra):
    creds = {
        'ENGINE': 'simulator',
        'NAME': 'rec',
        'EXTRA_PARAMS': extra,
        'INSTANCE_PATH': str(tmp_path),
    }
    cloud = prepare_cloud(
        'rec',
        {'ENGINE': 'simulator', 'EXTRA_PARAMS': extra},
        instance_path=str(tmp_path),
        timeout=2.0,
        max_concurrency=max_concurrency,
    )
    cloud.driver = RecordingDriver(creds)
    return cloud


def test_a_driver_object_is_never_shared_between_threads(tmp_path):
    cloud = _cloud(tmp_path)
    calls = [cloud.submit(GenericDriver.list_sizes) for _ in range(40)]
    for call in calls:
        assert call.result()
    cloud.close()
    assert 1 <= len(cloud.driver.users) <= 4
    assert all(len(threads) == 1 for threads in cloud.driver.users.values())


def test_concurrency_per_cloud_is_bounded(tmp_path):
    cloud = _cloud(tmp_path, max_concurrency=2)
    for call in [cloud.submit(GenericDriver.list_sizes) for _ in range(20)]:
        call.result()
    cloud.close()
    assert len(cloud.driver.users) <= 2


def test_a_hung_call_gives_504_and_the_cloud_keeps_serving(tmp_path):
    cloud = prepare_cloud(
        'slow',
        {
            'ENGINE': 'simulator',
            'TIMEOUT': 0.5,
            'EXTRA_PARAMS': {
                'fail_with': 'hang',
                'hang_seconds': 1.0,
                'fail_operations': ['list_images'],
            },
        },
        instance_path=str(tmp_path),
    )
    with pytest.raises(errors.CloudTimeout) as raised:
        cloud.list_images()
    assert raised.value.cloud == 'slow'
    assert cloud.list_sizes()
    cloud.close()


def test_unavailable_cloud_refuses_calls_with_its_reason(tmp_path):
    cloud = prepare_cloud('bad', {'ENGINE': 'nope'}, str(tmp_path))
    with pytest.raises(errors.CloudUnavailable, match='unknown provider'):
        cloud.list_nodes()


def test_a_call_gets_its_whole_timeout_once_it_starts(tmp_path):
    # One thread, calls of 1.2 s, a 2 s timeout: the second call waits
    # 1.2 s for the thread, then runs 1.2 s, within its own deadline.
    cloud = _cloud(tmp_path, max_concurrency=1, latency=1.2)
    try:
        first = cloud.submit(GenericDriver.list_sizes)
        second = cloud.submit(GenericDriver.list_sizes)
        assert first.result() and second.result()
    finally:
        cloud.close()


def test_a_call_that_never_finds_a_free_thread_is_503_busy(tmp_path):
    # One thread held for 3 s: the next call waits its 2 s for the thread,
    # is cancelled before it reaches the provider, and says so.
    cloud = _cloud(tmp_path, max_concurrency=1, latency=3.0)
    try:
        held = cloud.submit(GenericDriver.list_sizes)
        queued = cloud.submit(GenericDriver.list_sizes)
        with pytest.raises(errors.CloudUnavailable) as raised:
            queued.result()
        assert raised.value.code == 'cloud_busy'
        assert queued.future.cancelled()
        with pytest.raises(errors.CloudTimeout):
            held.result()
    finally:
        cloud.close()


class CountingGate(object):
    """A gate that records when it is taken and given back."""

    def __init__(self, refuse=False):
        self.held = 0
        self.taken = 0
        self.refuse = refuse

    def acquire(self):
        if self.refuse:
            raise RuntimeError('stop')
        self.held += 1
        self.taken += 1

    def release(self):
        self.held -= 1


def test_a_gated_call_holds_its_gate_while_the_provider_works_only(tmp_path):
    cloud = _cloud(tmp_path, latency=0.05)
    gate, seen = CountingGate(), []
    # What the service does with an answer (the inventory's write) runs
    # once the gate is given back.
    cloud.change_listeners.append(lambda *args: seen.append(gate.held))
    with gated('rec', gate):
        node = cloud.create_node(
            values.NodeSpec(name='n1', size='small', image='img-debian-12')
        )
        assert gate.taken == 1 and gate.held == 0
        assert seen == [0]
        # A gate of another cloud is not this cloud's.
        with gated('elsewhere', CountingGate(refuse=True)):
            assert cloud.get_node(node.id).id == node.id
        assert gate.taken == 1
        assert cloud.get_node(node.id).id == node.id
    assert gate.taken == 2 and gate.held == 0
    # Outside the block, no gate.
    cloud.list_nodes()
    assert gate.taken == 2
    cloud.close()


def test_a_gate_that_refuses_leaves_the_provider_unasked(tmp_path):
    cloud = _cloud(tmp_path)
    with gated('rec', CountingGate(refuse=True)):
        with pytest.raises(RuntimeError):
            cloud.create_node(
                values.NodeSpec(name='n1', size='small', image='img-debian-12')
            )
    assert cloud.list_nodes() == []
    cloud.close()
