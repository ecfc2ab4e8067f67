"""Farm entries for the emulators and the broken providers of the tests."""

from tests.backends import mimic_server, moto_server


def ec2_entry(moto, label='ec2', **keys):
    """A farm entry for moto in the moto dialect."""
    entry = {
        'ENGINE': label,
        'USER': moto_server.ACCESS_KEY,
        'PASSWORD': moto_server.SECRET_KEY,
        'EXTRA_PARAMS': {'endpoint': moto.url, 'endpoint_dialect': 'moto'},
    }
    entry.update(keys)
    return entry


def openstack_entry(auth_url, user='mw-user', tenant='mw-tenant', **keys):
    """A farm entry for a Keystone v2.0 cloud at ``auth_url``."""
    entry = {
        'ENGINE': 'openstack',
        'USER': user,
        'PASSWORD': mimic_server.PASSWORD,
        'EXTRA_PARAMS': {
            'auth_url': auth_url,
            'auth_version': '2.0_password',
            'tenant': tenant,
            'region': mimic_server.REGION,
            'service_name': mimic_server.SERVICE_NAME,
        },
    }
    entry.update(keys)
    return entry


def rackspace_entry(auth_url, user='mw-user', **keys):
    """A farm entry for Rackspace's identity at ``auth_url``."""
    entry = {
        'ENGINE': 'rackspace',
        'USER': user,
        'PASSWORD': mimic_server.PASSWORD,
        'EXTRA_PARAMS': {
            'auth_url': auth_url,
            'auth_version': '2.0',
            'region': mimic_server.REGION.lower(),
        },
    }
    entry.update(keys)
    return entry
