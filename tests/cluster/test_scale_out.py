"""The scale-out deployment under failure: nothing lost, nothing done twice.

Two API hosts (gunicorn) and two workers (``mw worker``), each a process
of its own, share one PostgreSQL database, one broker and one folder of
simulated-cloud state.  A 200-node stack over 4 simulated clouds is made
while a worker is SIGKILLed, or while the broker restarts; the stack must
end active with exactly 200 nodes in the simulated clouds' own state (none
lost, none made twice, none left outside the stack), and its deletion must
leave none.  Both brokers, Redis and RabbitMQ.
"""

import collections
import datetime
import time
import uuid

import pytest
import requests
from sqlalchemy import select

from dispatcher.storage import Database
from dispatcher.storage.models import ClusterLease, Job
from tests.orchestration.support import provider_nodes
from tests.storage.backends import drop_schema, postgres_schema_url
from tests.support.brokers import BROKERS
from tests.support.cluster import (
    Cluster,
    simulated_farm,
    stack_template,
    wait_for,
    wait_for_job,
)

CLOUDS, PER_CLOUD = 4, 50
NODES = CLOUDS * PER_CLOUD

#: Slow enough creates (latency per call) that a fault lands mid-way.
FARM = simulated_farm(CLOUDS, boot_time=0.5, latency=0.15)

#: Nodes per child job when the broker restarts.  The workers' 8 threads
#: run 7 children at once beside the stack's own job: with children of 25
#: nodes (the default) only one waits in the queue.  With 40 children of
#: 5, most are still in the broker's queue when it stops, whatever the
#: machine's speed: the running children take their nodes (a node goes
#: to whichever child holds a slot for it), but keep their threads until
#: no node is left to take, and the stack's job ends only once every
#: child, handed out after the broker is back, has found that.
RESTART_SETTINGS = {'MW_JOB_FANOUT_NODES': '5'}


@pytest.fixture(scope='module', params=sorted(BROKERS))
def broker(request):
    # One server per broker for the module: each deployment has a queue
    # of its own on it.
    server = BROKERS[request.param]()
    server.start()
    yield server
    server.close()


@pytest.fixture
def postgres():
    url, schema = postgres_schema_url()
    database = Database(url)
    yield url, database
    database.dispose()
    drop_schema(schema)


@pytest.fixture
def settings_env():
    """Settings of the deployment beyond the defaults (``MW_*``)."""
    return {}


@pytest.fixture
def cluster(tmp_path, postgres, broker, settings_env):
    env = {'MW_WORKER_QUEUE': 'mw-%s' % uuid.uuid4().hex[:8]}
    env.update(settings_env)
    deployment = Cluster(
        tmp_path, postgres[0], broker.url, FARM, extra_env=env
    )
    try:
        deployment.start()
    except Exception:
        deployment.stop()
        raise
    yield deployment
    deployment.stop()


def simulated_state(instance_path):
    """``{cloud: {provider id: name}}`` from the simulated clouds' files."""
    return {cloud: provider_nodes(instance_path, cloud) for cloud in FARM}


def assert_exactly_the_stack(cluster, stack_id):
    """The clouds hold the stack's 200 nodes and nothing else."""
    stack = requests.get(
        '%s/v1/stacks/%s' % (cluster.url(1), stack_id), timeout=10
    ).json()['stack']
    assert stack['status'] == 'active', stack
    live = [n for n in stack['nodes'] if n['state'] == 'running']
    assert len(live) == NODES
    state = simulated_state(cluster.instance_path)
    at_providers = [
        (cloud, node_id, name)
        for cloud, nodes in state.items()
        for node_id, name in nodes.items()
    ]
    names = collections.Counter(name for _, _, name in at_providers)
    assert len(at_providers) == NODES, names
    assert max(names.values()) == 1, 'duplicated: %s' % [
        n for n, c in names.items() if c > 1
    ]
    # Not one orphan: every provider node is a node of the stack.
    assert {(c, i) for c, i, _ in at_providers} == {
        (n['cloud'], n['provider_id']) for n in live
    }


def create_stack(cluster, name):
    response = requests.post(
        cluster.url(0) + '/v1/stacks',
        json=stack_template(name, FARM, PER_CLOUD),
        timeout=30,
    )
    assert response.status_code == 202, response.text
    return response.json()['stack']['id'], response.json()['job']['id']


def made_so_far(cluster):
    return sum(len(n) for n in simulated_state(cluster.instance_path).values())


def running_owner(database, job_id):
    """The pid of the process holding ``job_id``'s lease while it runs."""
    with database.session() as session:
        job = session.scalars(select(Job).where(Job.id == job_id)).one()
        if job.status != 'running' or not job.lease_owner:
            return None
        return int(job.lease_owner.split(':')[1])


def started_since(cluster, moment):
    """The child jobs of stacks that started after ``moment`` (seconds
    since the epoch)."""
    jobs = requests.get(
        cluster.url(0) + '/v1/jobs',
        params={'kind': 'stack.nodes', 'limit': 100},
        timeout=10,
    ).json()['jobs']
    return [
        job
        for job in jobs
        if job['started_at']
        and datetime.datetime.fromisoformat(job['started_at']).timestamp()
        > moment
    ]


def delete_and_count(cluster, stack_id):
    response = requests.delete(
        '%s/v1/stacks/%s' % (cluster.url(1), stack_id), timeout=30
    )
    assert response.status_code == 202, response.text
    deleted = wait_for_job(cluster.url(0), response.json()['job']['id'])
    assert deleted['status'] == 'succeeded', deleted
    assert made_so_far(cluster) == 0


def test_a_killed_worker_loses_nothing_and_doubles_nothing(cluster, postgres):
    database = postgres[1]
    stack_id, job_id = create_stack(cluster, 'kill')
    owner = wait_for(
        lambda: running_owner(database, job_id), 60, message='a worker'
    )
    wait_for(lambda: made_so_far(cluster) >= NODES // 5, 120, 0.05, '40 nodes')
    victim = cluster.worker_of(owner)
    assert victim is not None, 'job %s runs in %s, no worker' % (
        job_id,
        owner,
    )
    victim.kill()
    assert made_so_far(cluster) < NODES, 'the fault came too late'

    job = wait_for_job(cluster.url(1), job_id)
    assert job['status'] == 'succeeded', '%s\n%s' % (job, cluster.warnings())
    # Taken over by the other worker, from where the first one stopped.
    assert job['attempts'] >= 2
    survivor = [w for w in cluster.workers if w is not victim][0]
    with database.session() as session:
        holders = dict(
            session.execute(
                select(ClusterLease.name, ClusterLease.owner)
            ).all()
        )
    assert holders['job-keeper'].split(':')[1] == str(survivor.pid)
    assert_exactly_the_stack(cluster, stack_id)
    delete_and_count(cluster, stack_id)


@pytest.mark.parametrize(
    'settings_env', [RESTART_SETTINGS], ids=['children-of-5']
)
def test_a_restarted_broker_loses_nothing_and_doubles_nothing(cluster, broker):
    stack_id, job_id = create_stack(cluster, 'restart')
    wait_for(lambda: made_so_far(cluster) >= NODES // 5, 120, 0.05, '40 nodes')
    assert made_so_far(cluster) < NODES, 'the fault came too late'
    stopped_at = time.time()
    broker.restart()

    job = wait_for_job(cluster.url(1), job_id)
    assert job['status'] == 'succeeded', '%s\n%s' % (job, cluster.warnings())
    # Children still queued when the broker stopped were handed out (or,
    # lost with a broker that keeps nothing, queued again) once it was
    # back: the stack's job waited for them.
    assert started_since(cluster, stopped_at), 'no child ran after the fault'
    assert_exactly_the_stack(cluster, stack_id)
    delete_and_count(cluster, stack_id)
