"""``keypair-*`` over HTTP: the private key is handed out once."""

import os
import stat
import subprocess

import pytest
from mw_output import assert_clean_failure, property_values, table_rows


def test_keypair_create_prints_the_private_key(mw, mw_json):
    result = mw('keypair-create', 'default', 'laptop')
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith('-----BEGIN OPENSSH PRIVATE KEY-----\n')
    assert result.stdout.endswith('-----END OPENSSH PRIVATE KEY-----\n')
    listed = mw_json('keypair-list', 'default')['key_pairs']
    assert [k['name'] for k in listed] == ['laptop']
    assert 'private_key' not in listed[0]


def test_keypair_create_json_holds_the_private_key(mw_json):
    key_pair = mw_json('keypair-create', 'default', 'ci')['key_pair']
    assert key_pair['name'] == 'ci'
    assert 'PRIVATE KEY' in key_pair['private_key']


def test_keypair_create_writes_the_key_file_for_the_owner_only(mw, tmp_path):
    target = tmp_path / 'deploy.pem'
    result = mw(
        'keypair-create',
        'default',
        'deploy',
        '--private-key-file',
        str(target),
    )
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert 'PRIVATE KEY' in target.read_text()
    assert 'PRIVATE KEY' not in result.stdout
    values = property_values(result.stdout)
    assert values['name'] == 'deploy'
    assert 'private_key' not in values
    assert 'private key written to %s' % target in result.stdout
    # The file holds a key ssh-keygen reads, matching the public key.
    public = subprocess.run(
        ['ssh-keygen', '-y', '-f', str(target)], capture_output=True, text=True
    )
    if public.returncode == 0:
        assert public.stdout.split()[1] in values['public_key']


def test_keypair_create_never_overwrites_a_file(mw, mw_json, tmp_path):
    target = tmp_path / 'taken.pem'
    target.write_text('precious')
    result = mw(
        'keypair-create', 'default', 'lost', '--private-key-file', str(target)
    )
    assert_clean_failure(result, 2, 'exists')
    assert target.read_text() == 'precious'
    assert mw_json('keypair-list', 'default')['key_pairs'] == []


def test_keypair_create_failure_leaves_no_key_file(mw, mw_json, tmp_path):
    mw_json('keypair-create', 'default', 'twice')
    target = tmp_path / 'twice.pem'
    result = mw(
        'keypair-create', 'default', 'twice', '--private-key-file', str(target)
    )
    assert_clean_failure(result, 1, 'HTTP 409')
    assert not target.exists()


def test_keypair_import_list_and_delete(mw, mw_json, tmp_path):
    created = mw_json('keypair-create', 'sim-b', 'source')['key_pair']
    public_file = tmp_path / 'id.pub'
    public_file.write_text(created['public_key'] + '\n')
    result = mw(
        'keypair-import',
        'default',
        'imported',
        '--public-key-file',
        str(public_file),
    )
    assert result.exit_code == 0, result.stderr
    values = property_values(result.stdout)
    assert values['name'] == 'imported'
    assert values['fingerprint'] == created['fingerprint']
    rows = table_rows(mw('keypair-list', 'default').stdout)
    assert rows == [
        ['Name', 'Fingerprint'],
        ['imported', created['fingerprint']],
    ]
    result = mw('keypair-delete', 'default', 'imported')
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == 'key pair imported deleted from default'
    assert mw_json('keypair-list', 'default')['key_pairs'] == []
    assert_clean_failure(
        mw('keypair-delete', 'default', 'imported'), 1, 'HTTP 404'
    )


def test_keypair_import_json_and_a_bad_key(mw, mw_json, tmp_path):
    created = mw_json('keypair-create', 'sim-b', 'origin')['key_pair']
    public_file = tmp_path / 'id.pub'
    public_file.write_text(created['public_key'])
    answer = mw_json(
        'keypair-import',
        'default',
        'again',
        '--public-key-file',
        str(public_file),
    )
    assert answer['key_pair']['name'] == 'again'
    public_file.write_text('not a key')
    result = mw(
        'keypair-import',
        'default',
        'bad',
        '--public-key-file',
        str(public_file),
    )
    assert_clean_failure(result, 1, 'HTTP 400')


@pytest.mark.parametrize(
    'args',
    [
        (
            'keypair-import',
            'default',
            'x',
            '--public-key-file',
            '/no/such/file',
        ),
        ('keypair-import', 'default', 'x'),
        ('keypair-create', 'default'),
    ],
)
def test_keypair_usage_errors_exit_2(mw, args):
    assert_clean_failure(mw(*args), 2, 'Usage: mw')


def test_keypair_list_on_dummy_is_not_supported(mw):
    assert_clean_failure(
        mw('keypair-list', 'dummy'),
        1,
        'HTTP 501',
        'not_supported',
        'list_key_pairs',
    )
