"""``mw token-create``, ``token-list``, ``token-revoke`` and ``event-list``."""

import json

import pytest
from click.testing import CliRunner

from dispatcher.cli import main
from dispatcher.policy import token_values as values

FARM = """
class CloudConfig(object):
    CLOUD_FARM = {'default': {'ENGINE': 'simulator'},
                  'lab': {'ENGINE': 'simulator'}}
"""


@pytest.fixture
def server_side(tmp_path, monkeypatch):
    """``mw`` run where the service runs: its settings and instance."""
    settings = tmp_path / 'settings.py'
    settings.write_text(FARM)
    for name in (
        'MW_SETTINGS',
        'MW_INSTANCE_PATH',
        'MW_DATABASE_URL',
        'MW_URL',
        'MW_TOKEN',
    ):
        monkeypatch.delenv(name, raising=False)
    environment = {
        'MW_SETTINGS': str(settings),
        'MW_INSTANCE_PATH': str(tmp_path / 'instance'),
    }

    def run(*args):
        result = CliRunner().invoke(
            main,
            list(args),
            env=environment,
            catch_exceptions=False,
            prog_name='mw',
        )
        return result

    return run


def test_create_list_and_revoke_on_the_database(server_side):
    created = server_side(
        '--json',
        'token-create',
        '--role',
        'operator',
        '--clouds',
        'lab',
        '--name',
        'ci',
        '--expires-in',
        '12h',
    )
    assert created.exit_code == 0, created.stderr
    token = json.loads(created.stdout)['token']
    assert values.is_well_formed(token['value'])
    assert token['clouds'] == ['lab'] and token['role'] == 'operator'
    assert token['created_by'] == 'mw token-create'
    listed = server_side('token-list')
    assert listed.exit_code == 0
    assert token['id'] in listed.stdout and 'active' in listed.stdout
    assert token['value'] not in listed.stdout
    revoked = server_side('token-revoke', token['id'])
    assert revoked.exit_code == 0 and 'revoked' in revoked.stdout
    again = json.loads(
        server_side('--json', 'token-list', '--status', 'revoked').stdout
    )['tokens']
    assert [t['id'] for t in again] == [token['id']]


def test_the_table_shows_the_value_and_warns_to_store_it(server_side):
    created = server_side('token-create', '--role', 'reader')
    assert created.exit_code == 0
    assert 'mwt_' in created.stdout
    assert 'store the value now' in created.stderr


@pytest.mark.parametrize(
    'args, message',
    [
        (['--clouds', 'nowhere'], 'unknown cloud(s): nowhere'),
        (['--expires-in', 'soon'], 'is not a duration'),
        (['--expires-in', '0'], 'is not a duration'),
    ],
)
def test_bad_options_fail_clearly(server_side, args, message):
    result = server_side('token-create', '--role', 'reader', *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr


def test_revoking_an_unknown_token_fails(server_side):
    result = server_side('token-revoke', 'no-such-token')
    assert result.exit_code == 1
    assert "token 'no-such-token' not found" in result.stderr


def _remote(live_server, token, *args):
    return CliRunner().invoke(
        main,
        list(args),
        env={'MW_URL': live_server.url, 'MW_TOKEN': token},
        catch_exceptions=False,
        prog_name='mw',
    )


def _create_remote(live_server, token, *options):
    """A reader token made with ``mw token-create --remote``."""
    created = _remote(
        live_server,
        token,
        '--json',
        'token-create',
        '--remote',
        '--role',
        'reader',
        *options,
    )
    assert created.exit_code == 0, created.stderr
    return json.loads(created.stdout)['token']


def test_remote_commands_use_the_api(live_server, admin_token):
    token = _create_remote(live_server, admin_token, '--name', 'remote')
    listed = _remote(
        live_server, admin_token, '--json', 'token-list', '--remote'
    )
    assert token['id'] in [
        t['id'] for t in json.loads(listed.stdout)['tokens']
    ]
    refused = _remote(live_server, token['value'], 'token-list', '--remote')
    assert refused.exit_code == 4
    assert (
        _remote(
            live_server, admin_token, 'token-revoke', '--remote', token['id']
        ).exit_code
        == 0
    )
    events = _remote(live_server, admin_token, '--json', 'event-list')
    actions = [e['action'] for e in json.loads(events.stdout)['events']]
    assert actions == ['tokens.revoke_token', 'tokens.create_token']
    table = _remote(
        live_server,
        admin_token,
        'event-list',
        '--since',
        '2000-01-01T00:00:00Z',
    )
    assert 'tokens.create_token' in table.stdout
    bad = _remote(live_server, admin_token, 'event-list', '--since', 'then')
    assert bad.exit_code == 1 and 'since' in bad.stderr


def test_remote_create_leaves_out_options_not_given(live_server, admin_token):
    token = _create_remote(live_server, admin_token)
    assert token['name'] is None and token['clouds'] is None
    assert token['expires_at'] is None
