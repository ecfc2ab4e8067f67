"""Catalogue (images, sizes, locations), key pairs and volumes of a cloud."""

from dispatcher import errors
from dispatcher.lib.cloud_factory.drivers import GenericDriver
from dispatcher.lib.cloud_factory.values import VolumeSpec

#: The driver operation listing each kind of a cloud's resources.
LISTINGS = {
    'images': GenericDriver.list_images,
    'sizes': GenericDriver.list_sizes,
    'locations': GenericDriver.list_locations,
    'key_pairs': GenericDriver.list_key_pairs,
}


def list_catalogue(cloud, kind):
    """Images, sizes or locations of ``cloud``."""
    return cloud.call(LISTINGS[kind])


def list_key_pairs(cloud):
    return cloud.list_key_pairs()


def create_key_pair(cloud, spec):
    """Create (no ``public_key``) or import (with one) a key pair.

    A created key pair's private key is in this answer only: the service
    never stores it.
    """
    if spec.get('public_key'):
        return cloud.import_key_pair(spec['name'], spec['public_key'])
    return cloud.create_key_pair(spec['name'])


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
    cloud.delete_key_pair(name)


def list_volumes(cloud):
    return cloud.list_volumes()


def get_volume(cloud, volume_id):
    """One volume by id."""
    return _one(cloud, list_volumes(cloud), 'id', volume_id, 'volume')


def create_volume(cloud, spec):
    return cloud.create_volume(
        VolumeSpec(spec['name'], spec['size'], spec.get('location'))
    )


def attach_volume(cloud, volume_id, spec):
    return cloud.attach_volume(volume_id, spec['node_id'], spec.get('device'))


def detach_volume(cloud, volume_id):
    return cloud.detach_volume(volume_id)


def destroy_volume(cloud, volume_id):
    cloud.destroy_volume(volume_id)
