"""Key pairs: create, import, list, delete, on every provider label."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dispatcher.testing.cloud_api import unique_name, walk


def public_key():
    """A fresh RSA public key in OpenSSH format."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (
        key.public_key()
        .public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        .decode('ascii')
    )


def _names(api):
    return [k['name'] for k in api.all('key_pairs')]


def test_create_key_pair_shows_the_private_key_once(api):
    name = unique_name('kp')
    api.require(
        'create_key_pair', lambda: api.post('key_pairs', {'name': name})
    )
    response = api.post('key_pairs', {'name': name})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()['key_pair']
    assert created['name'] == name and created['cloud'] == api.cloud
    assert 'PRIVATE KEY' in created['private_key']
    api.require('list_key_pairs', lambda: api.get('key_pairs'))
    listed = [k for k in api.all('key_pairs') if k['name'] == name]
    assert len(listed) == 1 and 'private_key' not in listed[0]


def test_import_key_pair_from_a_public_key(api):
    name, key = unique_name('kp'), public_key()
    api.require(
        'import_key_pair_from_string',
        lambda: api.post('key_pairs', {'name': name, 'public_key': key}),
    )
    response = api.post('key_pairs', {'name': name, 'public_key': key})
    assert response.status_code == 201, response.get_json()
    imported = response.get_json()['key_pair']
    assert imported['name'] == name and 'private_key' not in imported
    api.require('list_key_pairs', lambda: api.get('key_pairs'))
    assert name in _names(api)


def test_delete_key_pair_then_it_is_gone(api):
    name = unique_name('kp')
    api.require(
        'import_key_pair_from_string',
        lambda: api.post(
            'key_pairs', {'name': name, 'public_key': public_key()}
        ),
    )
    assert (
        api.post(
            'key_pairs', {'name': name, 'public_key': public_key()}
        ).status_code
        == 201
    )
    api.require('delete_key_pair', lambda: api.delete('key_pairs/' + name))
    assert api.delete('key_pairs/' + name).status_code == 204
    assert name not in _names(api)
    again = api.delete('key_pairs/' + name)
    assert again.status_code == 404
    assert again.get_json()['error']['cloud'] == api.cloud


def test_key_pair_pages_cover_every_key_pair_once(api):
    api.require(
        'import_key_pair_from_string',
        lambda: api.post(
            'key_pairs', {'name': 'x', 'public_key': public_key()}
        ),
    )
    api.require('list_key_pairs', lambda: api.get('key_pairs'))
    for _ in range(3):
        assert (
            api.post(
                'key_pairs',
                {'name': unique_name('kp'), 'public_key': public_key()},
            ).status_code
            == 201
        )
    everything = _names(api)
    assert len(everything) >= 3
    for limit in (1, 2):
        assert (
            walk(
                api.client,
                api.path('key_pairs'),
                'key_pairs',
                limit,
                key=lambda k: k['name'],
            )
            == everything
        )
