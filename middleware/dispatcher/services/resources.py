"""Changes to the key pairs and volumes of a cloud (reads are the
inventory's: :mod:`dispatcher.services.inventory`)."""

from dispatcher.lib.cloud_factory.values import VolumeSpec


def create_key_pair(cloud, spec):
    """Create (no ``public_key``) or import (with one) a key pair.

    A created key pair's private key is in this answer only: the service
    never stores it.
    """
    if spec.get('public_key'):
        return cloud.import_key_pair(spec['name'], spec['public_key'])
    return cloud.create_key_pair(spec['name'])


def delete_key_pair(cloud, name):
    cloud.delete_key_pair(name)


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
