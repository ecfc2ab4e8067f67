"""Safe answer headers everywhere; CORS only for configured origins."""

import pytest

from dispatcher import close_app, create_app
from dispatcher.config import SettingsError

SAFE = {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
}


@pytest.mark.parametrize(
    'path, token',
    [
        ('/v1/clouds', True),
        ('/v1/clouds/nope', True),
        ('/v1/clouds', False),
        ('/healthz', False),
        ('/v1/openapi.json', False),
    ],
)
def test_json_answers_carry_the_safe_headers(app, admin_token, path, token):
    headers = {'X-Auth-Token': admin_token} if token else {}
    response = app.test_client().get(path, headers=headers)
    for name, value in SAFE.items():
        assert response.headers[name] == value
    assert response.headers['Cache-Control'] == 'no-store'
    assert response.headers['Content-Security-Policy'].startswith(
        "default-src 'none'"
    )
    assert 'Access-Control-Allow-Origin' not in response.headers


def test_documentation_pages_are_not_framed_or_sniffed(app):
    response = app.test_client().get('/docs/')
    response.close()
    for name, value in SAFE.items():
        assert response.headers[name] == value


def test_cors_is_off_unless_configured(client):
    response = client.get(
        '/v1/clouds', headers={'Origin': 'https://evil.example'}
    )
    assert response.status_code == 200
    assert 'Access-Control-Allow-Origin' not in response.headers
    preflight = client.options(
        '/v1/clouds',
        headers={
            'Origin': 'https://evil.example',
            'Access-Control-Request-Method': 'GET',
        },
    )
    assert 'Access-Control-Allow-Origin' not in preflight.headers


@pytest.fixture
def app_config(app_config):
    app_config['CORS_ORIGINS'] = ['https://dash.example']
    return app_config


def test_a_configured_origin_may_call_from_a_browser(app, admin_token):
    anonymous = app.test_client()
    preflight = anonymous.options(
        '/v1/clouds',
        headers={
            'Origin': 'https://dash.example',
            'Access-Control-Request-Method': 'GET',
            'Access-Control-Request-Headers': 'X-Auth-Token',
        },
    )
    assert preflight.status_code == 204
    assert (
        preflight.headers['Access-Control-Allow-Origin']
        == 'https://dash.example'
    )
    assert 'X-Auth-Token' in preflight.headers['Access-Control-Allow-Headers']
    answer = anonymous.get(
        '/v1/clouds',
        headers={
            'Origin': 'https://dash.example',
            'X-Auth-Token': admin_token,
        },
    )
    assert (
        answer.headers['Access-Control-Allow-Origin'] == 'https://dash.example'
    )
    assert 'X-Request-Id' in answer.headers['Access-Control-Expose-Headers']
    assert 'Origin' in answer.headers['Vary']


def test_other_origins_stay_refused(app):
    anonymous = app.test_client()
    preflight = anonymous.options(
        '/v1/clouds',
        headers={
            'Origin': 'https://evil.example',
            'Access-Control-Request-Method': 'GET',
        },
    )
    assert preflight.status_code == 401
    assert 'Access-Control-Allow-Origin' not in preflight.headers


def test_origins_may_come_from_the_environment(app_config, monkeypatch):
    app_config.pop('CORS_ORIGINS')
    monkeypatch.setenv(
        'MW_CORS_ORIGINS', 'https://a.example, https://b.example'
    )
    application = create_app(app_config)
    close_app(application)
    answer = application.test_client().options(
        '/v1/clouds',
        headers={
            'Origin': 'https://b.example',
            'Access-Control-Request-Method': 'DELETE',
        },
    )
    assert answer.status_code == 204


def test_a_bad_origins_setting_is_refused(app_config):
    app_config['CORS_ORIGINS'] = 42
    with pytest.raises(SettingsError, match='CORS_ORIGINS'):
        create_app(app_config)
