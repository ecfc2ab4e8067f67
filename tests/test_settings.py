"""Settings: defaults, the MW_SETTINGS file, MW_* variables, the farm."""

import pytest

from dispatcher import create_app
from dispatcher.config import SettingsError, load_settings

SETTINGS_FILE = """
PROVIDER_TIMEOUT = 12.5
PAGE_SIZE = 7

class CloudConfig(object):
    CLOUD_FARM = {
        'default': {'ENGINE': 'dummy', 'USER': '1'},
        'lab': {'ENGINE': 'simulator', 'PASSWORD_FILE': %(secret_file)r,
                'EXTRA_PARAMS': {'expected_secret': 's3cr3t-from-file'}},
    }
"""


@pytest.fixture
def settings_file(tmp_path):
    secret = tmp_path / 'lab.secret'
    secret.write_text('s3cr3t-from-file\n')
    path = tmp_path / 'settings.py'
    path.write_text(SETTINGS_FILE % {'secret_file': str(secret)})
    return path


def test_defaults_give_a_farm_of_simulated_clouds():
    settings = load_settings(environ={})
    farm = settings['CLOUD_FARM']
    assert 'default' in farm and len(farm) >= 2
    assert {e['ENGINE'] for e in farm.values()} == {'simulator'}


def test_settings_file_then_environment_override_defaults(settings_file):
    settings = load_settings(
        environ={
            'MW_SETTINGS': str(settings_file),
            'MW_PAGE_SIZE': '9',
            'MW_DATABASE_URL': 'sqlite:///x.db',
        }
    )
    assert settings['PROVIDER_TIMEOUT'] == 12.5
    assert settings['PAGE_SIZE'] == 9
    assert settings['DATABASE_URL'] == 'sqlite:///x.db'
    assert sorted(settings['CLOUD_FARM']) == ['default', 'lab']


def test_missing_settings_file_is_a_clear_error(tmp_path):
    with pytest.raises(SettingsError, match='not a file'):
        load_settings(environ={'MW_SETTINGS': str(tmp_path / 'nope.py')})


def test_broken_settings_file_is_a_clear_error(tmp_path):
    path = tmp_path / 'settings.py'
    path.write_text('CLOUD_FARM = {\n')
    with pytest.raises(SettingsError, match='cannot be loaded'):
        load_settings(environ={'MW_SETTINGS': str(path)})


def test_service_reads_the_file_and_a_password_file(
    settings_file, tmp_path, monkeypatch
):
    monkeypatch.setenv('MW_SETTINGS', str(settings_file))
    monkeypatch.setenv('MW_INSTANCE_PATH', str(tmp_path / 'instance'))
    client = create_app(
        {'LOG_LEVEL': 'WARNING', 'AUTH_ENABLED': False}
    ).test_client()
    clouds = client.get('/v1/clouds').get_json()['clouds']
    assert [c['name'] for c in clouds] == ['default', 'lab']
    lab = client.get('/v1/clouds/lab?check=true').get_json()['cloud']
    assert lab['check'] == {'ok': True}
    assert 's3cr3t' not in client.get('/v1/clouds').get_data(as_text=True)


def test_password_from_environment_overrides_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv('MW_CLOUD_LAB_EU_PASSWORD', 'env-secret-value')
    client = create_app(
        {
            'INSTANCE_PATH': str(tmp_path),
            'LOG_LEVEL': 'WARNING',
            'AUTH_ENABLED': False,
            'CLOUD_FARM': {
                'lab-eu': {
                    'ENGINE': 'simulator',
                    'PASSWORD': 'wrong-in-file',
                    'EXTRA_PARAMS': {'expected_secret': 'env-secret-value'},
                }
            },
        }
    ).test_client()
    cloud = client.get('/v1/clouds/lab-eu?check=true').get_json()['cloud']
    assert cloud['check'] == {'ok': True}


def test_password_env_names_a_variable(tmp_path, monkeypatch):
    monkeypatch.setenv('LAB_SECRET', 'from-named-variable')
    client = create_app(
        {
            'INSTANCE_PATH': str(tmp_path),
            'LOG_LEVEL': 'WARNING',
            'AUTH_ENABLED': False,
            'CLOUD_FARM': {
                'lab': {
                    'ENGINE': 'simulator',
                    'PASSWORD_ENV': 'LAB_SECRET',
                    'EXTRA_PARAMS': {'expected_secret': 'from-named-variable'},
                }
            },
        }
    ).test_client()
    cloud = client.get('/v1/clouds/lab?check=true').get_json()['cloud']
    assert cloud['check'] == {'ok': True}


BROKEN_ENTRIES = [
    ({'ENGINE': 'no-such-cloud'}, 'unknown provider label'),
    ({'ENGINE': 'openstack', 'USER': 'u'}, 'missing credential PASSWORD'),
    (
        {'ENGINE': 'openstack', 'USER': 'u', 'PASSWORD': 'topsecret-pw'},
        'ex_force_auth_url',
    ),
    ({'ENGINE': 'simulator', 'EXTRA_PARAMS': {'latency': -1}}, 'latency'),
    (
        {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'colour': 'red'}},
        'bad parameter',
    ),
    ({'ENGINE': 'simulator', 'EXTRA_PARAMS': 'x'}, 'EXTRA_PARAMS'),
    (
        {'ENGINE': 'simulator', 'PASSWORD_ENV': 'MW_TEST_UNSET_VAR'},
        'MW_TEST_UNSET_VAR',
    ),
    (
        {'ENGINE': 'simulator', 'PASSWORD_FILE': '/nonexistent/secret'},
        '/nonexistent/secret',
    ),
    ({'ENGINE': 'simulator', 'COLOUR': 'red'}, 'COLOUR'),
    ({'USER': 'x'}, 'ENGINE'),
    ('not-a-dict', 'dict'),
]


@pytest.mark.parametrize('entry, reason', BROKEN_ENTRIES)
def test_broken_entry_is_unavailable_with_reason_and_others_serve(
    tmp_path, entry, reason, caplog
):
    with caplog.at_level('ERROR', logger='dispatcher'):
        client = create_app(
            {
                'INSTANCE_PATH': str(tmp_path),
                'LOG_LEVEL': 'WARNING',
                'AUTH_ENABLED': False,
                'CLOUD_FARM': {
                    'good': {'ENGINE': 'dummy', 'USER': '1'},
                    'bad': entry,
                },
            }
        ).test_client()
    bad = client.get('/v1/clouds/bad').get_json()['cloud']
    assert bad['status'] == 'unavailable'
    assert reason in bad['reason']
    assert "cloud 'bad' is unavailable" in caplog.text
    assert 'topsecret-pw' not in caplog.text + str(bad)
    response = client.get('/v1/clouds/bad/nodes')
    assert response.status_code == 503
    assert response.get_json()['error']['cloud'] == 'bad'
    assert client.get('/v1/clouds/good/nodes').status_code == 200


def test_unknown_label_error_lists_the_known_ones(tmp_path):
    client = create_app(
        {
            'INSTANCE_PATH': str(tmp_path),
            'LOG_LEVEL': 'WARNING',
            'AUTH_ENABLED': False,
            'CLOUD_FARM': {'x': {'ENGINE': 'nope'}},
        }
    ).test_client()
    reason = client.get('/v1/clouds/x').get_json()['cloud']['reason']
    for label in (
        'simulator',
        'dummy',
        'openstack',
        'ec2',
        'libvirt',
        'digitalocean',
    ):
        assert label in reason


def test_whole_farm_from_the_environment(settings_file):
    farm = '{"only": {"ENGINE": "dummy", "USER": "1"}}'
    settings = load_settings(
        environ={
            'MW_SETTINGS': str(settings_file),
            'MW_CLOUD_FARM': farm,
            'MW_CLOUD_ONLY_PASSWORD': 'x',
        }
    )
    assert settings['CLOUD_FARM'] == {'only': {'ENGINE': 'dummy', 'USER': '1'}}


@pytest.mark.parametrize(
    'value, reason',
    [
        ('{"default": ', 'not valid JSON'),
        ('["dummy"]', 'must be a JSON object'),
    ],
)
def test_bad_farm_in_the_environment_is_a_clear_error(value, reason):
    with pytest.raises(SettingsError, match=reason):
        load_settings(environ={'MW_CLOUD_FARM': value})
