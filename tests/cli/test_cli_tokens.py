"""``mw token-*`` and ``event-list``: the API like every other command, and
``token-bootstrap`` on the service's own database."""

import json

import pytest
from mw_output import assert_clean_failure
from mw_runners import run_as_process

from dispatcher import close_app, create_app
from dispatcher.policy import token_values as values

FARM = """
class CloudConfig(object):
    CLOUD_FARM = {'default': {'ENGINE': 'simulator'},
                  'lab': {'ENGINE': 'simulator'}}
"""


def test_create_list_and_revoke_through_the_service(mw, mw_json):
    token = mw_json(
        'token-create',
        '--role',
        'operator',
        '--clouds',
        'sim-b',
        '--name',
        'ci',
        '--expires-in',
        '12h',
    )['token']
    assert values.is_well_formed(token['value'])
    assert token['clouds'] == ['sim-b'] and token['role'] == 'operator'
    everyone = mw_json('token-list')['tokens']
    creator = [t['id'] for t in everyone if t['name'] == 'tests']
    assert token['created_by'] == creator[0]
    listed = mw('token-list')
    assert listed.exit_code == 0, listed.stderr
    assert token['id'] in listed.stdout and 'active' in listed.stdout
    assert token['value'] not in listed.stdout
    revoked = mw('token-revoke', token['id'])
    assert revoked.exit_code == 0 and 'revoked' in revoked.stdout
    again = mw_json('token-list', '--status', 'revoked')['tokens']
    assert [t['id'] for t in again] == [token['id']]


def test_the_table_shows_the_value_and_warns_to_store_it(mw):
    created = mw('token-create', '--role', 'reader')
    assert created.exit_code == 0, created.stderr
    assert 'mwt_' in created.stdout
    assert 'store the value now' in created.stderr


def test_options_not_given_are_left_out_of_the_request(mw_json):
    token = mw_json('token-create', '--role', 'reader')['token']
    assert token['name'] is None and token['clouds'] is None
    assert token['expires_at'] is None


def test_the_old_remote_flag_is_still_accepted(mw_json):
    token = mw_json('token-create', '--remote', '--role', 'reader')['token']
    assert token['role'] == 'reader'


@pytest.mark.parametrize(
    'args, message',
    [
        (['--clouds', 'nowhere'], 'nowhere'),
        (['--expires-in', 'soon'], 'is not a duration'),
        (['--expires-in', '0'], 'is not a duration'),
    ],
)
def test_bad_options_fail_clearly(mw, args, message):
    result = mw('token-create', '--role', 'reader', *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert result.stdout == ''


def test_revoking_an_unknown_token_fails(mw):
    result = mw('token-revoke', 'no-such-token')
    assert_clean_failure(result, 1, "token 'no-such-token' not found")


def test_a_token_that_is_not_admin_is_refused(
    mw, mw_json, run_mw, live_server
):
    reader = mw_json('token-create', '--role', 'reader')['token']
    refused = run_mw(
        ['token-list'], url=live_server.url, env={'MW_TOKEN': reader['value']}
    )
    assert refused.exit_code == 4


def test_the_audit_trail_lists_the_changes(mw, mw_json):
    token = mw_json('token-create', '--role', 'reader')['token']
    assert mw('token-revoke', token['id']).exit_code == 0
    actions = [e['action'] for e in mw_json('event-list')['events']]
    assert actions[:2] == ['tokens.revoke_token', 'tokens.create_token']
    table = mw('event-list', '--since', '2000-01-01T00:00:00Z')
    assert 'tokens.create_token' in table.stdout
    bad = mw('event-list', '--since', 'then')
    assert bad.exit_code == 1 and 'since' in bad.stderr


# -- token-bootstrap: where the service runs -----------------------------


@pytest.fixture
def service_side(tmp_path):
    """``mw`` as a child process with a service's settings and instance."""
    settings = tmp_path / 'settings.py'
    settings.write_text(FARM)
    instance = tmp_path / 'instance'
    env = {'MW_SETTINGS': str(settings), 'MW_INSTANCE_PATH': str(instance)}

    def run(*args):
        return run_as_process(args, env=env)

    run.instance = instance
    run.settings = settings
    return run


def _service_ran(service_side):
    """The service started once on that instance folder, without tokens
    (token checks off: no first-run token)."""
    app = create_app(
        {
            'INSTANCE_PATH': str(service_side.instance),
            'CLOUD_FARM': {'default': {'ENGINE': 'simulator'}},
            'LOG_LEVEL': 'ERROR',
            'AUTH_ENABLED': False,
        }
    )
    close_app(app)


def test_bootstrap_refuses_a_database_that_does_not_exist(service_side):
    result = service_side('token-bootstrap')
    assert_clean_failure(result, 1, 'does not exist', 'mw serve')
    assert not (service_side.instance / 'mw.sqlite').exists()


def test_bootstrap_refuses_a_database_without_schema(service_side):
    import sqlite3

    service_side.instance.mkdir()
    sqlite3.connect(service_side.instance / 'mw.sqlite').close()
    result = service_side('token-bootstrap')
    assert_clean_failure(result, 1, 'has no schema of this service')


def test_bootstrap_makes_the_first_token_once(service_side):
    _service_ran(service_side)
    made = service_side('--json', 'token-bootstrap')
    assert made.exit_code == 0, made.stderr
    token = json.loads(made.stdout)['token']
    assert token['role'] == 'admin'
    assert token['created_by'] == 'mw token-bootstrap'
    again = service_side('token-bootstrap')
    assert_clean_failure(again, 1, 'already has tokens', '--lost')
    lost = service_side('--json', 'token-bootstrap', '--lost')
    assert lost.exit_code == 0, lost.stderr
    second = json.loads(lost.stdout)['token']
    assert second['id'] != token['id'] and second['role'] == 'admin'
