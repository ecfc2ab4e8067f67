"""Two API hosts over one database and one Redis broker: what one host
does, the other sees, and two hosts never add up each other's changes.
"""

import concurrent.futures
import threading

import pytest
import requests

from tests.orchestration.support import provider_nodes
from tests.storage.backends import drop_schema, postgres_schema_url
from tests.support.brokers import RedisBroker
from tests.support.cluster import (
    Cluster,
    simulated_farm,
    stack_template,
    wait_for_job,
)

FARM = simulated_farm(2, boot_time=0.2, latency=0.01)


@pytest.fixture
def deployment(tmp_path):
    url, schema = postgres_schema_url()
    broker = RedisBroker()
    broker.start()
    cluster = Cluster(tmp_path, url, broker.url, FARM, workers=1)
    try:
        cluster.start()
        yield cluster, broker
    finally:
        cluster.stop()
        broker.close()
        drop_schema(schema)


def nodes_at_providers(cluster):
    return sum(len(provider_nodes(cluster.instance_path, c)) for c in FARM)


def scale(url, stack_id, count):
    return requests.patch(
        '%s/v1/stacks/%s' % (url, stack_id),
        json={'groups': [{'name': 'g0', 'count': count}]},
        timeout=30,
    )


def test_two_hosts_scaling_one_stack_end_with_the_count_asked_last(
    deployment,
):
    cluster, _ = deployment
    created = requests.post(
        cluster.url(0) + '/v1/stacks',
        json=stack_template('race', {'sim-0': None}, 2),
        timeout=30,
    ).json()
    stack_id = created['stack']['id']
    assert wait_for_job(cluster.url(1), created['job']['id'])['status'] == (
        'succeeded'
    )
    # Both hosts are asked at the same moment: one scale is accepted, the
    # other is refused while the first runs (never both, never a sum).
    start = threading.Barrier(2)

    def ask(host, count):
        start.wait()
        return host, count, scale(cluster.url(host), stack_id, count)

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda a: ask(*a), [(0, 5), (1, 7)]))
    statuses = sorted(answer[2].status_code for answer in answers)
    assert statuses == [202, 409], [answer[2].text for answer in answers]
    _, accepted, response = next(a for a in answers if a[2].status_code == 202)
    refused_host, refused, refusal = next(
        a for a in answers if a[2].status_code == 409
    )
    assert refusal.json()['error']['code'] in ('invalid_state', 'stack_busy')
    assert wait_for_job(cluster.url(0), response.json()['job']['id'])[
        'status'
    ] == ('succeeded')
    assert nodes_at_providers(cluster) == accepted
    # The refused one, asked again, is the last asked: it stands.
    again = scale(cluster.url(refused_host), stack_id, refused)
    assert again.status_code == 202, again.text
    assert wait_for_job(cluster.url(1), again.json()['job']['id'])[
        'status'
    ] == ('succeeded')
    stack = requests.get(
        '%s/v1/stacks/%s' % (cluster.url(0), stack_id), timeout=10
    ).json()['stack']
    assert stack['groups'][0]['count'] == refused
    assert nodes_at_providers(cluster) == refused


def test_a_job_made_while_the_broker_is_down_runs_when_it_is_back(
    deployment,
):
    cluster, broker = deployment
    broker.stop()
    response = requests.post(
        cluster.url(0) + '/v1/stacks',
        json=stack_template('late', {'sim-1': None}, 3),
        timeout=60,
    )
    # Recorded and accepted: the job waits in the database, not lost.
    assert response.status_code == 202, response.text
    job_id = response.json()['job']['id']
    assert 'broker did not take it' in cluster.api[0].output()
    broker.start()
    job = wait_for_job(cluster.url(1), job_id, timeout=120)
    assert job['status'] == 'succeeded', '%s\n%s' % (job, cluster.warnings())
    assert nodes_at_providers(cluster) == 3
