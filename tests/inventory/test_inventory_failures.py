"""A cloud that fails keeps serving its last model, marked: never a
silent empty list."""

import time

import pytest

from dispatcher import close_app, create_app, errors

QUICK = {'period': 1, 'burst_interval': 0.2, 'burst_seconds': 2}


@pytest.fixture
def app_config(app_config):
    return dict(app_config, AUTH_ENABLED=False, COLLECTORS={'cloud': QUICK})


@pytest.fixture
def known_model(app_config):
    """sim-b's inventory, with one node, kept by a first healthy run."""
    app = create_app(app_config)
    try:
        client = app.test_client()
        client.get('/v1/clouds/sim-b/nodes')
        made = client.post(
            '/v1/clouds/sim-b/nodes',
            json={'name': 'kept', 'size': 'small', 'image': 'img-debian-12'},
        ).json['node']
    finally:
        close_app(app)
    return made


@pytest.fixture
def failing(app_config, known_model):
    """The same service restarted while sim-b answers every call 500."""
    app = create_app(failing_sim_b(app_config))
    yield app
    close_app(app)


def failing_sim_b(app_config, **faults):
    """``app_config`` with sim-b answering 500 (to ``faults``' calls)."""
    config = dict(app_config)
    config['CLOUD_FARM'] = dict(
        config['CLOUD_FARM'],
        **{
            'sim-b': {
                'ENGINE': 'simulator',
                'EXTRA_PARAMS': dict(
                    failure_rate=1.0, fail_with='server_error', **faults
                ),
            }
        },
    )
    return config


def wait_for_status(client, url, status, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = client.get(url).json
        if answer['freshness']['status'] == status:
            return answer
        time.sleep(0.1)
    raise AssertionError('never %s: %s' % (status, answer['freshness']))


def test_the_last_model_is_served_marked_error(failing, known_model):
    client = failing.test_client()
    answer = wait_for_status(client, '/v1/clouds/sim-b/nodes', 'error')
    assert [n['id'] for n in answer['nodes']] == [known_model['id']]
    assert answer['freshness']['error']['code'] == 'provider_error'
    assert answer['freshness']['error']['cloud'] == 'sim-b'
    everywhere = client.get('/v1/nodes?cloud=sim-b').json
    assert [n['id'] for n in everywhere['nodes']] == [known_model['id']]
    assert everywhere['freshness'][0]['status'] == 'error'


def test_a_fresh_read_of_a_failing_cloud_is_its_error(failing):
    answer = failing.test_client().get('/v1/clouds/sim-b/nodes?fresh=true')
    assert answer.status_code == 502
    assert answer.json['error']['cloud'] == 'sim-b'


def test_a_cloud_whose_circuit_is_open_is_stale(app):
    client = app.test_client()
    assert (
        client.get('/v1/clouds/sim-b/sizes').json['freshness']['status']
        == 'fresh'
    )
    cloud = app.extensions['dispatcher.farm'].get('sim-b')
    for _ in range(cloud.breaker.failures):
        cloud.breaker.record(
            errors.ProviderError('down for a test', cloud='sim-b')
        )
    freshness = client.get('/v1/clouds/sim-b/sizes').json['freshness']
    assert freshness['status'] == 'stale'
    assert freshness['error']['message'] == 'down for a test'


def test_a_create_finds_its_catalogue_in_the_inventory(app_config):
    """Once the inventory holds sizes, images and locations, a create asks
    the provider for none of them: it succeeds while the provider fails
    every catalogue listing."""
    app = create_app(app_config)
    try:
        client = app.test_client()
        for kind in ('sizes', 'images', 'locations'):
            assert client.get('/v1/clouds/sim-b/%s' % kind).status_code == 200
    finally:
        close_app(app)
    app = create_app(
        failing_sim_b(
            app_config,
            fail_operations=['list_sizes', 'list_images', 'list_locations'],
        )
    )
    try:
        client = app.test_client()
        body = {
            'name': 'catalogued',
            'size': 'small',
            'image': 'img-debian-12',
            'location': 'sim-east-1a',
        }
        made = client.post('/v1/clouds/sim-b/nodes', json=body)
        assert made.status_code == 201, made.json
        assert made.json['node']['size'] == 'small'
        unknown = client.post(
            '/v1/clouds/sim-b/nodes', json=dict(body, size='huge')
        )
        assert unknown.status_code == 502
    finally:
        close_app(app)
