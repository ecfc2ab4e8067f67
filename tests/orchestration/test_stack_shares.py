"""The child jobs of a big stack share its creates: a node is claimed by
the job that asks its provider, once, when that job holds a slot for it.

The in-process executor is made to spread a stack's creates over child
jobs, as the Celery executor does; with two job threads, the stack's job
and one child run at a time.
"""

import collections
import threading
import time
import types

import pytest
import sqlalchemy
from sqlalchemy import select

from dispatcher import storage
from dispatcher.jobs.limits import CloudSlots
from dispatcher.services import jobs as job_service
from dispatcher.services import stack_fanout, stack_nodes
from dispatcher.services.stack_records import plan_nodes
from dispatcher.storage.models import Job, Stack, StackNode
from dispatcher.storage.types import utcnow
from tests.orchestration.support import create, provider_nodes, template

CLOUDS = ('default', 'sim-b')


@pytest.fixture
def stack_settings(stack_settings):
    return dict(stack_settings, JOB_WORKERS=2, JOB_FANOUT_NODES=3)


@pytest.fixture
def spreading(stack_app, monkeypatch):
    """The app, its executor spreading big stacks over child jobs."""
    executor = stack_app.extensions['dispatcher.jobs']
    monkeypatch.setattr(executor, 'spreads_jobs', True, raising=False)
    return stack_app


def children_of(api):
    jobs = api.get('/v1/jobs?kind=stack.nodes&limit=100').json['jobs']
    return [api.get('/v1/jobs/%s' % job['id']).json['job'] for job in jobs]


def test_a_child_takes_the_nodes_of_shares_not_started_yet(spreading, api):
    stack, job = create(api, template(count=12, clouds=list(CLOUDS)))
    assert stack['status'] == 'active'
    assert len(stack['nodes']) == 12
    assert {n['state'] for n in stack['nodes']} == {'running'}

    children = children_of(api)
    assert len(children) == 4  # 12 nodes, 3 a share
    # The first child to run made every node: the others' shares were
    # still planned while it held slots, and found none left.
    made = sorted(child['result']['nodes'] for child in children)
    assert made == [0, 0, 0, 12]
    for child in children:
        assert child['status'] == 'succeeded'
        assert child['progress'] == {
            'done': child['result']['nodes'],
            'total': child['result']['nodes'],
        }
    # Each node was asked for by one job, once.
    steps = collections.Counter(
        step['name'] for child in children for step in child['steps']
    )
    assert sorted(steps) == sorted(
        'create %s' % n['name'] for n in stack['nodes']
    )
    assert set(steps.values()) == {1}
    instance = spreading.config['INSTANCE_PATH']
    at_providers = [
        name
        for cloud in CLOUDS
        for name in provider_nodes(instance, cloud).values()
    ]
    assert sorted(at_providers) == sorted(n['name'] for n in stack['nodes'])
    assert job['progress'] == {'done': 12, 'total': 12}


@pytest.fixture
def planned(stack_app):
    """A stack of six planned nodes over two clouds, made by job
    ``parent``: ``(database, stack id, {cloud: [node ids]})``."""
    database = storage.database(stack_app)
    with database.session(write=True) as session:
        stack = Stack(
            name='shares',
            status='creating',
            template={},
            timeout=60,
            on_failure='rollback',
            requested_by='tests',
            created_at=utcnow(),
            updated_at=utcnow(),
        )
        session.add(stack)
        session.flush()
        group = {
            'name': 'web',
            'clouds': list(CLOUDS),
            'size': 'small',
            'image': 'img-ubuntu-24.04',
        }
        nodes = plan_nodes(session, stack, group, 1, 6, 'parent')
        session.flush()
        by_cloud = collections.defaultdict(list)
        for node in nodes:
            by_cloud[node['cloud']].append(node['id'])
        return database, stack.id, dict(by_cloud)


def child(database, stack_id, job_id):
    """What :func:`stack_nodes.claim` reads of a child job."""
    return types.SimpleNamespace(
        database=database,
        job_id=job_id,
        target_id=stack_id,
        params={'parent': 'parent'},
    )


def test_a_claim_takes_a_planned_node_of_another_share(planned):
    database, stack_id, nodes = planned
    first, second, third = nodes['default']
    one = child(database, stack_id, 'child-1')
    two = child(database, stack_id, 'child-2')

    # From the end of the plan; a node claimed already is passed over.
    taken = stack_nodes.claim(one, 'default')
    assert (taken.id, taken.state, taken.claimed_by) == (
        third,
        'creating',
        'child-1',
    )
    taken = stack_nodes.claim(two, 'default')
    assert (taken.id, taken.claimed_by) == (second, 'child-2')
    taken = stack_nodes.claim(one, 'default')
    assert (taken.id, taken.claimed_by) == (first, 'child-1')
    assert stack_nodes.claim(two, 'default') is None
    # The other cloud's nodes are untouched.
    with database.session() as session:
        states = {
            n.id: (n.state, n.claimed_by)
            for n in session.scalars(
                select(StackNode).where(StackNode.cloud == 'sim-b')
            )
        }
    assert states == {n: ('planned', None) for n in nodes['sim-b']}


def test_a_claim_takes_only_the_nodes_of_the_same_stack_job(planned):
    database, stack_id, nodes = planned
    other = child(database, stack_id, 'child-9')
    other.params = {'parent': 'another-parent'}
    assert stack_nodes.claim(other, 'default') is None


def test_two_jobs_claiming_at_once_never_claim_one_node_twice(planned):
    database, stack_id, nodes = planned
    claims = collections.defaultdict(list)
    barrier = threading.Barrier(4)

    def claim_all(job_id):
        barrier.wait()
        context = child(database, stack_id, job_id)
        while True:
            node = stack_nodes.claim(context, 'sim-b')
            if node is None:
                return
            claims[job_id].append(node.id)

    threads = [
        threading.Thread(target=claim_all, args=('child-%d' % n,))
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = [node for ids in claims.values() for node in ids]
    assert sorted(taken) == sorted(nodes['sim-b'])


def test_children_not_started_are_closed_once_nothing_is_planned(planned):
    database, stack_id, nodes = planned
    with database.session(write=True) as session:
        queued, running = [
            job_service.new_job(
                session,
                stack_fanout.CHILD_KIND,
                'tests',
                target_type='stack',
                target_id=stack_id,
                total=3,
            )
            for _ in range(2)
        ]
        running.status = 'running'
        ids = [queued.id, running.id]
    parent = types.SimpleNamespace(
        database=database, job_id='parent', target_id=stack_id
    )

    def statuses():
        with database.session() as session:
            return {
                job.id: (job.status, job.result)
                for job in session.scalars(select(Job).where(Job.id.in_(ids)))
            }

    # Nodes are still planned: a queued child may still find work.
    stack_fanout._close_idle(parent, ids)
    assert statuses() == {ids[0]: ('queued', None), ids[1]: ('running', None)}
    taker = child(database, stack_id, 'child-1')
    for cloud in CLOUDS:
        while stack_nodes.claim(taker, cloud) is not None:
            pass
    stack_fanout._close_idle(parent, ids)
    assert statuses() == {
        ids[0]: ('succeeded', {'nodes': 0}),
        ids[1]: ('running', None),
    }


def test_a_wait_for_another_share_s_node_comes_after_every_own_wait():
    """A lane that would take over a node of a share not started waits
    for a slot after the waits of the family's own nodes in this process,
    whatever its job's rank: it steals only a slot nobody here needs."""
    slots = CloudSlots(1)
    slots.gate('c').acquire()  # the cloud's one slot is taken

    def job(rank):
        return types.SimpleNamespace(
            slots=slots,
            family='parent',
            rank=rank,
            check=lambda cancellable: None,
        )

    order, threads = [], []
    for name, rank, spare in [
        ('child 0 spare', 0, True),
        ('child 2 own', 2, False),
        ('child 1 spare', 1, True),
        ('child 5 own', 5, False),
    ]:
        queued = threading.Event()

        def wait(name=name, rank=rank, spare=spare, queued=queued):
            gate = stack_nodes.slot_gate(job(rank), 'c', spare=spare)
            queued.set()
            gate.acquire()
            order.append(name)

        thread = threading.Thread(target=wait)
        thread.start()
        queued.wait(5)
        time.sleep(0.05)  # until it waits for the slot
        threads.append(thread)
    for number in range(len(threads)):
        slots.gate('c').release()
        deadline = time.monotonic() + 5
        while len(order) <= number and time.monotonic() < deadline:
            time.sleep(0.005)
    for thread in threads:
        thread.join(5)
    assert order == [
        'child 2 own',
        'child 5 own',
        'child 0 spare',
        'child 1 spare',
    ]


def test_once_a_job_found_nothing_planned_the_others_here_do_not_ask(
    planned,
):
    """The lanes of a big stack's children on one worker each look for a
    node left to take over; once one found none, the others answer
    without a statement."""
    database, stack_id, nodes = planned
    one = child(database, stack_id, 'child-1')
    two = child(database, stack_id, 'child-2')
    while stack_nodes.claim(one, 'default') is not None:
        pass
    asked = []

    def count(conn, cursor, statement, *args):
        if 'FROM stack_nodes' in statement:
            asked.append(statement)

    engine = database.engine
    sqlalchemy.event.listen(engine, 'before_cursor_execute', count)
    try:
        assert stack_nodes.planned_left(two, 'default') is False
        assert asked == []
        # Another cloud, or another stack job, is asked as before.
        assert stack_nodes.planned_left(two, 'sim-b') is True
        other = child(database, stack_id, 'child-3')
        other.params = {'parent': 'another-parent'}
        assert stack_nodes.planned_left(other, 'default') is False
        assert len(asked) == 2
    finally:
        sqlalchemy.event.remove(engine, 'before_cursor_execute', count)
