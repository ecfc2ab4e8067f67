"""Catalogue (images, sizes, locations), key pairs and volumes of a cloud."""

from dispatcher import errors

CATALOGUES = {
    'images': 'list_images',
    'sizes': 'list_sizes',
    'locations': 'list_locations',
}


def list_catalogue(cloud, kind):
    """Images, sizes or locations of ``cloud``."""
    return cloud.call(CATALOGUES[kind])


def list_key_pairs(cloud):
    return cloud.call('list_key_pairs')


def create_key_pair(cloud, spec):
    """Create (no ``public_key``) or import (with one) a key pair.

    A created key pair's private key is in this answer only: the service
    never stores it.
    """
    if spec.get('public_key'):
        return cloud.call(
            'import_key_pair_from_string', spec['name'], spec['public_key']
        )
    return cloud.call('create_key_pair', spec['name'])


def _one(cloud, items, field, wanted, kind):
    """The item whose ``field`` is ``wanted``; 404 naming it otherwise."""
    for item in items:
        if getattr(item, field) == wanted:
            return item
    raise errors.NotFound(
        '%s %r not found' % (kind.replace('_', ' '), wanted),
        code='%s_not_found' % kind,
        cloud=cloud.name,
    )


def get_key_pair(cloud, name):
    """One key pair by name."""
    return _one(cloud, list_key_pairs(cloud), 'name', name, 'key_pair')


def delete_key_pair(cloud, name):
    cloud.call('delete_key_pair', name)


def list_volumes(cloud):
    return cloud.call('list_volumes')


def get_volume(cloud, volume_id):
    """One volume by id."""
    return _one(cloud, list_volumes(cloud), 'id', volume_id, 'volume')


def create_volume(cloud, spec):
    return cloud.call(
        'create_volume',
        spec['name'],
        spec['size'],
        location=spec.get('location'),
    )


def attach_volume(cloud, volume_id, spec):
    return cloud.call(
        'attach_volume', volume_id, spec['node_id'], device=spec.get('device')
    )


def detach_volume(cloud, volume_id):
    return cloud.call('detach_volume', volume_id)


def destroy_volume(cloud, volume_id):
    cloud.call('destroy_volume', volume_id)
