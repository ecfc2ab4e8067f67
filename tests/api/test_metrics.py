"""``GET /metrics``: the Prometheus text format, guarded by a token."""

import pytest

from tests.support.metrics import value_of


def test_metrics_need_a_token_by_default(client, app):
    anonymous = app.test_client()
    assert anonymous.get('/metrics').status_code == 401
    answer = client.get('/metrics')
    assert answer.status_code == 200
    assert answer.mimetype == 'text/plain'


def test_requests_provider_calls_and_circuits_are_counted(client):
    before = value_of(
        client.get('/metrics').get_data(as_text=True),
        'mw_requests_total',
        route='/v1/clouds/<cloud_name>/sizes',
        status='200',
    )
    for _ in range(3):
        # Asked live each time: a read from the inventory calls nobody.
        sizes = client.get('/v1/clouds/sim-b/sizes?fresh=true')
        assert sizes.status_code == 200
    assert client.get('/v1/clouds/sim-b/nodes/nope').status_code == 404
    text = client.get('/metrics').get_data(as_text=True)
    assert (
        value_of(
            text,
            'mw_requests_total',
            route='/v1/clouds/<cloud_name>/sizes',
            status='200',
        )
        == before + 3
    )
    assert (
        value_of(
            text,
            'mw_provider_calls_total',
            cloud='sim-b',
            operation='list_sizes',
            outcome='ok',
        )
        >= 3
    )
    assert (
        value_of(
            text,
            'mw_provider_calls_total',
            cloud='sim-b',
            operation='get_node',
            outcome='node_not_found',
        )
        >= 1
    )
    assert 'mw_provider_call_seconds_bucket' in text
    assert value_of(text, 'mw_cloud_circuit', cloud='sim-b') == 0.0
    assert 'mw_jobs_running' in text


@pytest.fixture
def app_config(app_config, request):
    if 'public' in request.node.name:
        return dict(app_config, METRICS_PUBLIC=True)
    return app_config


def test_metrics_may_be_public_when_the_operator_says_so(app):
    assert app.test_client().get('/metrics').status_code == 200
    assert app.test_client().get('/v1/clouds').status_code == 401
