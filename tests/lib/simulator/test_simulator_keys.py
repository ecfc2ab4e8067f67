import glob

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from libcloud.common.exceptions import BaseHTTPError
from libcloud.compute.base import KeyPair


def read_bytes(path):
    with open(path, 'rb') as stream:
        return stream.read()


def rsa_public_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (
        key.public_key()
        .public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        .decode()
        + ' someone@laptop'
    )


def test_create_key_pair_returns_a_loadable_private_key(driver):
    pair = driver.create_key_pair('deploy')
    assert isinstance(pair, KeyPair)
    assert pair.name == 'deploy'
    assert pair.public_key.startswith('ssh-ed25519 ')
    assert pair.fingerprint.startswith('SHA256:')
    private = serialization.load_ssh_private_key(
        pair.private_key.encode(), password=None
    )
    assert isinstance(private, ed25519.Ed25519PrivateKey)
    derived = (
        private.public_key()
        .public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        .decode()
    )
    assert pair.public_key.startswith(derived)


def test_stored_key_pair_has_no_private_key(driver, state_path):
    pair = driver.create_key_pair('deploy')
    stored = driver.get_key_pair('deploy')
    assert stored.private_key is None
    assert stored.public_key == pair.public_key
    assert stored.fingerprint == pair.fingerprint
    assert [k.private_key for k in driver.list_key_pairs()] == [None]
    body = ''.join(pair.private_key.strip().splitlines()[1:-1])
    data = b''.join(read_bytes(path) for path in glob.glob(state_path + '*'))
    assert pair.public_key.split()[1].encode() in data
    assert b'PRIVATE KEY' not in data
    for line in pair.private_key.strip().splitlines()[1:-1]:
        assert line.encode() not in data
    assert body.encode() not in data


def test_import_key_pair(driver):
    material = rsa_public_key()
    pair = driver.import_key_pair_from_string('laptop', material + '\n')
    assert pair.public_key == material
    assert pair.private_key is None
    assert driver.get_key_pair('laptop').fingerprint == pair.fingerprint
    node = driver.create_node(
        'n', 'small', 'img-ubuntu-24.04', ex_keyname='laptop'
    )
    assert node.extra['key_name'] == 'laptop'


@pytest.mark.parametrize(
    'material',
    [
        '',
        'not a key',
        'ssh-ed25519 AAAAnotbase64!!',
        'ssh-rsa',
        '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n'
        '-----END OPENSSH PRIVATE KEY-----',
        None,
    ],
)
def test_import_rejects_invalid_material_with_400(driver, material):
    with pytest.raises(BaseHTTPError) as excinfo:
        driver.import_key_pair_from_string('bad', material)
    assert excinfo.value.code == 400
    assert driver.list_key_pairs() == []


def test_duplicate_key_pair_name_is_409(driver):
    driver.create_key_pair('dup')
    with pytest.raises(BaseHTTPError) as excinfo:
        driver.create_key_pair('dup')
    assert excinfo.value.code == 409
    with pytest.raises(BaseHTTPError) as excinfo:
        driver.import_key_pair_from_string('dup', rsa_public_key())
    assert excinfo.value.code == 409
    assert len(driver.list_key_pairs()) == 1


def test_get_and_delete_missing_key_pair_is_404(driver):
    for action in (driver.get_key_pair, driver.delete_key_pair):
        with pytest.raises(BaseHTTPError) as excinfo:
            action('ghost')
        assert excinfo.value.code == 404
        assert excinfo.value.message == "key pair 'ghost' not found"


def test_delete_key_pair(driver):
    pair = driver.create_key_pair('gone')
    driver.create_key_pair('kept')
    assert driver.delete_key_pair(pair) is True
    assert [k.name for k in driver.list_key_pairs()] == ['kept']


def test_key_pair_name_must_be_non_empty(driver):
    with pytest.raises(BaseHTTPError) as excinfo:
        driver.create_key_pair('')
    assert excinfo.value.code == 400
