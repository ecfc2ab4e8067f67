"""Reads served from the inventory, with their freshness."""

import threading
import time

import pytest

from tests.orchestration.support import provider
from tests.support.metrics import value_of

#: Syncs every second, bursts every 0.2 s: the tests wait little.
QUICK = {'period': 1, 'burst_interval': 0.2, 'burst_seconds': 5}


@pytest.fixture
def app_config(app_config):
    # Room for the concurrent readers below to wait on one cloud.
    return dict(
        app_config, COLLECTORS={'cloud': QUICK}, REQUEST_CALLS_PER_CLOUD=25
    )


def provider_calls(client, cloud, operation):
    text = client.get('/metrics').get_data(as_text=True)
    return value_of(
        text,
        'mw_provider_calls_total',
        cloud=cloud,
        operation=operation,
        outcome='ok',
    )


def make_behind_the_back(app, cloud, name):
    """A node made at the provider directly, not through the service."""
    return provider(app.instance_path, cloud).create_node(
        name=name, size='small', image='img-debian-12'
    )


def wait_for(check, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError('not within %s s' % seconds)


def test_a_list_says_how_fresh_it_is(client):
    answer = client.get('/v1/clouds/sim-b/nodes').json
    freshness = answer['freshness']
    assert freshness['cloud'] == 'sim-b'
    assert freshness['status'] == 'fresh'
    assert freshness['observed_at']
    assert 0 <= freshness['age_s'] < 5


def test_reads_after_the_first_call_no_provider(client):
    client.get('/v1/clouds/sim-b/sizes')
    before = provider_calls(client, 'sim-b', 'list_sizes')
    for _ in range(5):
        assert client.get('/v1/clouds/sim-b/sizes').status_code == 200
    assert provider_calls(client, 'sim-b', 'list_sizes') == before


def test_a_node_created_through_the_api_is_listed_at_once(client):
    client.get('/v1/clouds/sim-b/nodes')
    made = client.post(
        '/v1/clouds/sim-b/nodes',
        json={'name': 'web-1', 'size': 'small', 'image': 'img-debian-12'},
    ).json['node']
    before = provider_calls(client, 'sim-b', 'list_nodes')
    listed = client.get('/v1/clouds/sim-b/nodes?name=web-1').json['nodes']
    assert [n['id'] for n in listed] == [made['id']]
    shown = client.get('/v1/clouds/sim-b/nodes/%s' % made['id']).json
    assert shown['node']['name'] == 'web-1'
    assert shown['freshness']['cloud'] == 'sim-b'
    assert provider_calls(client, 'sim-b', 'list_nodes') == before


def test_a_pending_node_is_seen_running_without_asking_fresh(client):
    client.get('/v1/clouds/default/nodes')
    made = client.post(
        '/v1/clouds/default/nodes',
        json={'name': 'slow-1', 'size': 'small', 'image': 'img-debian-12'},
    ).json['node']
    assert made['state'] == 'pending'
    url = '/v1/clouds/default/nodes/%s' % made['id']
    wait_for(lambda: client.get(url).json['node']['state'] == 'running')


def test_a_node_made_behind_the_back_is_listed_within_one_period(app, client):
    client.get('/v1/clouds/sim-b/nodes')
    node = make_behind_the_back(app, 'sim-b', 'outsider')
    url = '/v1/clouds/sim-b/nodes?name=outsider'
    assert client.get(url).json['nodes'] == []
    started = time.monotonic()
    wait_for(
        lambda: client.get(url).json['nodes'], seconds=QUICK['period'] * 4
    )
    assert time.monotonic() - started < QUICK['period'] * 4
    shown = client.get('/v1/clouds/sim-b/nodes/%s' % node.id).json['node']
    assert shown['name'] == 'outsider'


def test_fresh_and_max_age_ask_the_provider(app, client, app_config):
    client.get('/v1/clouds/sim-b/nodes')
    make_behind_the_back(app, 'sim-b', 'fresh-one')
    assert (
        client.get('/v1/clouds/sim-b/nodes?name=fresh-one&max_age=3600').json[
            'nodes'
        ]
        == []
    )
    assert client.get('/v1/clouds/sim-b/nodes?name=fresh-one&max_age=0').json[
        'nodes'
    ]
    make_behind_the_back(app, 'sim-b', 'fresh-two')
    answer = client.get('/v1/clouds/sim-b/nodes?name=fresh-two&fresh=true')
    assert [n['name'] for n in answer.json['nodes']] == ['fresh-two']
    assert answer.json['freshness']['age_s'] < 1


def test_a_node_shown_by_id_that_the_inventory_lacks_is_asked_live(
    app, client
):
    client.get('/v1/clouds/sim-b/nodes')
    node = make_behind_the_back(app, 'sim-b', 'by-id')
    shown = client.get('/v1/clouds/sim-b/nodes/%s' % node.id)
    assert shown.status_code == 200
    assert shown.json['node']['name'] == 'by-id'
    missing = client.get('/v1/clouds/sim-b/nodes/no-such-node')
    assert missing.status_code == 404
    assert missing.json['error']['code'] == 'node_not_found'


def test_a_node_deleted_behind_the_back_leaves_the_list(app, client):
    made = client.post(
        '/v1/clouds/sim-b/nodes',
        json={'name': 'short', 'size': 'small', 'image': 'img-debian-12'},
    ).json['node']
    simulated = provider(app.instance_path, 'sim-b')
    [node] = [n for n in simulated.list_nodes() if n.id == made['id']]
    simulated.destroy_node(node)
    answer = client.get('/v1/clouds/sim-b/nodes?fresh=true').json
    assert made['id'] not in [n['id'] for n in answer['nodes']]
    gone = client.get('/v1/clouds/sim-b/nodes/%s' % made['id'])
    assert gone.status_code == 404


@pytest.mark.parametrize(
    'query', ['fresh=maybe', 'max_age=-1', 'max_age=soon', 'max_age=nan']
)
def test_bad_freshness_options_are_400_naming_the_field(client, query):
    answer = client.get('/v1/clouds/sim-b/nodes?' + query)
    assert answer.status_code == 400
    assert query.split('=')[0] in str(answer.json['error'])


def test_concurrent_fresh_reads_share_one_provider_call(
    live_server, client, admin_token
):
    import requests

    client.get('/v1/clouds/slow/nodes')
    before = provider_calls(client, 'slow', 'list_nodes')
    barrier = threading.Barrier(20)
    answers = []

    def read():
        barrier.wait()
        answers.append(
            requests.get(
                live_server.url + '/v1/clouds/slow/nodes?fresh=true',
                headers={'X-Auth-Token': admin_token},
                timeout=30,
            ).status_code
        )

    threads = [threading.Thread(target=read) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 20
    assert provider_calls(client, 'slow', 'list_nodes') == before + 1


@pytest.fixture
def farm_config(farm_config):
    # A cloud whose calls take long enough for concurrent reads to meet.
    return dict(
        farm_config,
        slow={'ENGINE': 'simulator', 'EXTRA_PARAMS': {'latency': 0.5}},
    )


def test_every_cloud_at_once_says_how_fresh_each_is(client):
    answer = client.get('/v1/nodes').json
    assert [f['cloud'] for f in answer['freshness']] == [
        'default',
        'sim-b',
        'dummy',
        'slow',
    ]
    assert {f['status'] for f in answer['freshness']} == {'fresh'}
    assert answer['errors'] == []


def test_catalogue_pages_come_from_the_database(client):
    first = client.get('/v1/clouds/sim-b/images?limit=2').json
    assert len(first['images']) == 2
    seen = [i['id'] for i in first['images']]
    marker = first['next_marker']
    while marker:
        page = client.get(
            '/v1/clouds/sim-b/images?limit=2&marker=%s' % marker
        ).json
        seen.extend(i['id'] for i in page['images'])
        marker = page['next_marker']
    everything = client.get('/v1/clouds/sim-b/images?limit=1000').json
    assert seen == [i['id'] for i in everything['images']]
    bad = client.get('/v1/clouds/sim-b/images?marker=nope')
    assert bad.status_code == 400
    assert bad.json['error']['field'] == 'marker'


def test_a_private_key_is_answered_once_and_never_kept(client):
    made = client.post('/v1/clouds/sim-b/key_pairs', json={'name': 'k1'})
    assert made.json['key_pair']['private_key']
    shown = client.get('/v1/clouds/sim-b/key_pairs/k1').json['key_pair']
    assert not shown.get('private_key')
    listed = client.get('/v1/clouds/sim-b/key_pairs').json['key_pairs']
    assert [k for k in listed if k['name'] == 'k1']
    assert not any(k.get('private_key') for k in listed)


def test_the_inventory_age_and_syncs_are_metrics(client):
    client.get('/v1/clouds/sim-b/nodes')
    text = client.get('/metrics').get_data(as_text=True)
    assert (
        value_of(
            text,
            'mw_inventory_syncs_total',
            cloud='sim-b',
            kind='nodes',
            outcome='ok',
        )
        >= 1
    )
    assert 'mw_inventory_age_seconds{cloud="sim-b",kind="nodes"}' in text
    assert (
        value_of(text, 'mw_inventory_age_seconds', cloud='sim-b', kind='nodes')
        < 5
    )


def test_readers_beyond_the_bound_are_told_the_cloud_is_busy(
    live_server, client, admin_token, app
):
    import requests

    cloud = app.extensions['dispatcher.farm'].get('slow')
    cloud.request_gate = threading.BoundedSemaphore(2)
    barrier = threading.Barrier(6)
    answers = []

    def read():
        barrier.wait()
        answer = requests.get(
            live_server.url + '/v1/clouds/slow/nodes?fresh=true',
            headers={'X-Auth-Token': admin_token},
            timeout=30,
        )
        answers.append((answer.status_code, answer.json()))

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200, 200, 503, 503, 503, 503]
    for status, body in answers:
        if status == 503:
            assert body['error']['code'] == 'cloud_busy'
            assert body['error']['cloud'] == 'slow'


def test_a_fresh_read_waits_for_the_sync_another_host_holds(app, client):
    """Another process holds the lease of sim-b's nodes: a fresh read here
    waits for its sync and answers with it, asking the provider nothing."""
    from dispatcher import storage
    from dispatcher.storage import inventory as store

    client.get('/v1/clouds/sim-b/nodes')
    database = storage.database(app)
    started = store.claim(database, 'sim-b', 'nodes', 'other-host', 60)
    assert started is not None
    before = provider_calls(client, 'sim-b', 'list_nodes')
    answers = []
    reader = threading.Thread(
        target=lambda: answers.append(
            client.get('/v1/clouds/sim-b/nodes?fresh=true').json
        )
    )
    reader.start()
    time.sleep(0.5)
    assert answers == []
    node = {
        'id': 'seen-elsewhere',
        'name': 'seen-elsewhere',
        'cloud': 'sim-b',
        'state': 'running',
        'public_ips': [],
        'private_ips': [],
        'size': None,
        'image': None,
        'created_at': None,
        'actions': ['reboot'],
        'extra': {},
    }
    store.record_listing(
        database,
        'sim-b',
        'nodes',
        [store.Row('seen-elsewhere', 'seen-elsewhere', 'running', node)],
        started,
        store.Lease('other-host', 60, 1),
    )
    reader.join(10)
    assert [n['id'] for n in answers[0]['nodes']] == ['seen-elsewhere']
    assert provider_calls(client, 'sim-b', 'list_nodes') == before


def test_creates_starting_together_look_a_catalogue_item_up_once(app, client):
    import sqlalchemy

    from dispatcher import storage
    from dispatcher.services.container import EXTENSION
    from dispatcher.services.farm import EXTENSION as FARM

    for kind in ('sizes', 'images'):
        assert client.get('/v1/clouds/sim-b/%s' % kind).status_code == 200
    inventory = app.extensions[EXTENSION].inventory
    cloud = app.extensions[FARM].get('sim-b')
    database = storage.database(app)
    lookups, answers = [], []

    def count(conn, cursor, statement, parameters, context, executemany):
        # A look-up of one item by its key (not the inventory's own
        # rounds, which may run meanwhile: a prune is a DELETE).
        if statement.lstrip().upper().startswith('SELECT') and (
            'FROM inventory_items' in statement and '"key" =' in statement
        ):
            lookups.append(statement)

    spec = {'name': 'n', 'size': 'small', 'image': 'img-debian-12'}
    barrier = threading.Barrier(20)

    def create():
        barrier.wait()
        answers.append(inventory.catalogue_items(cloud, spec))

    sqlalchemy.event.listen(database.engine, 'before_cursor_execute', count)
    try:
        threads = [threading.Thread(target=create) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        sqlalchemy.event.remove(
            database.engine, 'before_cursor_execute', count
        )
    # Every create has both documents, and the database was asked once
    # for each of the two items, not twenty times.
    assert len(answers) == 20
    assert all(set(known) == {'size', 'image'} for known in answers)
    assert len(lookups) == 2, lookups
