"""AUTH_ENABLED: on by default; off only on purpose, and then loopback."""

import pytest

from dispatcher import close_app, create_app
from dispatcher.api.access import auth_enabled, is_loopback, serving_host
from dispatcher.config import SettingsError, load_settings


def test_authentication_is_on_by_default():
    assert load_settings(environ={})['AUTH_ENABLED'] is True
    assert auth_enabled({}) is True


@pytest.mark.parametrize(
    'value, enabled',
    [
        ('false', False),
        ('False', False),
        ('0', False),
        ('no', False),
        (False, False),
        ('true', True),
        ('1', True),
        (True, True),
    ],
)
def test_the_environment_variable_is_understood(value, enabled):
    settings = load_settings(environ={'MW_AUTH_ENABLED': str(value)})
    assert auth_enabled(settings) is enabled


def test_a_value_that_is_not_a_boolean_is_refused():
    with pytest.raises(SettingsError, match='AUTH_ENABLED'):
        auth_enabled({'AUTH_ENABLED': 'maybe'})


@pytest.mark.parametrize(
    'host, loopback',
    [
        ('127.0.0.1', True),
        ('127.1.2.3', True),
        ('::1', True),
        ('[::1]', True),
        ('localhost', True),
        ('::ffff:127.0.0.1', True),
        ('0.0.0.0', False),
        ('::', False),
        ('::ffff:192.0.2.1', False),
        ('192.0.2.10', False),
        ('example.com', False),
    ],
)
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_without_authentication_only_loopback_is_served():
    off = {'AUTH_ENABLED': False}
    assert serving_host(off, '0.0.0.0') == '127.0.0.1'
    assert serving_host(off, '::1') == '::1'
    assert serving_host({'AUTH_ENABLED': True}, '0.0.0.0') == '0.0.0.0'


@pytest.fixture
def app_config(app_config):
    app_config.update(AUTH_ENABLED='false', HOST='0.0.0.0')
    return app_config


def test_an_app_without_authentication_serves_everyone_on_loopback(app, call):
    assert app.config['AUTH_ENABLED'] is False
    assert app.config['HOST'] == '127.0.0.1'
    assert call('GET', '/v1/tokens').status_code == 200
    created = call('POST', '/v1/clouds/default/key_pairs', json={'name': 'k1'})
    assert created.status_code == 201
    [event] = call('GET', '/v1/events').get_json()['events']
    assert event['token'] == {'id': None, 'name': 'anonymous'}


def test_start_up_without_authentication_says_so(app_config, caplog):
    with caplog.at_level('WARNING', logger='dispatcher'):
        application = create_app(app_config)
    close_app(application)
    text = caplog.text
    assert 'authentication is OFF' in text
    assert 'listening on 127.0.0.1 only, not on 0.0.0.0' in text
    assert 'admin token was created' not in text


def test_without_authentication_other_machines_are_refused(app):
    remote = app.test_client()
    remote.environ_base['REMOTE_ADDR'] = '192.0.2.7'
    for path in ('/v1/clouds', '/healthz'):
        response = remote.get(path)
        assert response.status_code == 403
        assert response.get_json()['error']['code'] == 'local_only'
    local = app.test_client()
    local.environ_base['REMOTE_ADDR'] = '::1'
    assert local.get('/v1/clouds').status_code == 200
