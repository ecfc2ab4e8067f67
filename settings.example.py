r"""Example settings of the multi-cloud orchestration middleware.

Copy this file, keep the clouds you need, and start the service with it::

    MW_SETTINGS=/etc/mw/settings.py \
        gunicorn -w 4 -b 127.0.0.1:5070 dispatcher:app

A setting is a name assigned at the top level (see ``dispatcher/settings.py``
for every one and its default); ``MW_<NAME>`` environment variables override
this file.  The farm is ``CloudConfig.CLOUD_FARM``: cloud name -> entry.
``default`` is the cloud used when none is named.

The keys of a farm entry
------------------------

``ENGINE``
    The provider label: ``simulator``, ``dummy``, ``openstack``,
    ``rackspace``, ``ec2``, ``eucalyptus``, ``libvirt``, any other Apache
    Libcloud compute provider by its libcloud name (``digitalocean``,
    ``linode``, ``gce``...), or a label a plugin adds.
``USER``, ``PASSWORD``
    The credentials, whatever the provider calls them (access key and secret
    key, user name and API key...).  They need not sit in this file:
    ``USER_ENV`` / ``PASSWORD_ENV`` name an environment variable holding the
    value, ``USER_FILE`` / ``PASSWORD_FILE`` a file holding it, and the
    variable ``MW_CLOUD_<NAME>_PASSWORD`` (``MW_CLOUD_AWS_EU_PASSWORD`` for
    the cloud ``aws-eu``) overrides both.  Credentials never appear in an
    answer or a log line.
``EXTRA_PARAMS``
    Parameters of the provider's driver: libcloud's own keyword arguments,
    and the shorter names each driver documents (below).  A key no driver
    accepts makes the entry unavailable, naming the key.
``TIMEOUT``
    Seconds one call to this provider may take before the API answers 504
    (default: the ``PROVIDER_TIMEOUT`` setting).
``MAX_CONCURRENCY``
    Calls in flight at once to this provider (default:
    ``PROVIDER_CONCURRENCY``).
``UNSUPPORTED``
    Operations this cloud must not offer although its driver has them (a
    private cloud without block storage, an emulator that lacks a part of
    the API): they are left out of the cloud's ``capabilities`` and the API
    answers them 501 naming the cloud and the operation.  Names are those of
    ``GET /v1/clouds/<cloud>``: ``create_node``, ``start_node``,
    ``stop_node``, ``create_key_pair``, ``list_volumes``, ...

An entry that is wrong (unknown label, missing credential, bad parameter)
is reported at start-up with the reason, and the rest of the farm serves.

Trying every entry on one machine
---------------------------------

The entries below read their endpoints and credentials from environment
variables whose defaults are the cloud-API emulators the test suite uses,
all on 127.0.0.1::

    # EC2 and Eucalyptus: moto
    pip install 'moto[server]>=5,<6'
    moto_server -H 127.0.0.1 -p 5000 &
    # OpenStack and Rackspace: mimic, in its own virtual environment
    python3 -m venv ~/mimic && ~/mimic/bin/pip install mimic==2.2.0 'attrs<23'
    ~/mimic/bin/twistd -n --pidfile= mimic \
        --listen tcp:8900:interface=127.0.0.1 &
    # libvirt: its built-in test hypervisor, no daemon needed
    apt-get install libvirt-dev pkg-config && pip install libvirt-python

    export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
    export EC2_ACCESS_KEY=testing EUCA_SECRET_KEY_FILE=/tmp/euca-secret
    echo testing > /tmp/euca-secret
    export OS_PASSWORD=any RAX_USERNAME=rax-demo RAX_API_KEY=any
    export DIGITALOCEAN_TOKEN=your-token
    MW_SETTINGS=settings.example.py mw serve

moto and mimic accept any credentials.  For a real cloud, set the same
variables to its endpoint and credentials and follow the comments of its
entry.
"""

import os

#: Seconds one provider call may take before the API answers 504.
PROVIDER_TIMEOUT = 30.0

# Lower-case names are not settings: where the emulators of a local trial
# listen, and what mimic 2.2.0 lacks of the real OpenStack and Rackspace.
moto_url = os.environ.get('MOTO_URL', 'http://127.0.0.1:5000')
mimic_url = os.environ.get('MIMIC_URL', 'http://127.0.0.1:8900')
mimic_unsupported = [
    'start_node',
    'stop_node',
    'create_key_pair',
    'list_volumes',
    'create_volume',
    'attach_volume',
    'detach_volume',
    'destroy_volume',
]


class CloudConfig(object):
    """The cloud farm: one entry per provider label."""

    CLOUD_FARM = {
        # The simulated cloud: stateful (state shared by every worker and
        # kept across restarts), no network, no credentials.  EXTRA_PARAMS:
        # boot_time and latency in seconds, fault injection (failure_rate,
        # fail_with, fail_operations, retry_after).
        'default': {
            'ENGINE': 'simulator',
            'EXTRA_PARAMS': {'boot_time': 2.0, 'latency': 0.05},
        },
        # libcloud's DummyNodeDriver: USER is the number of nodes it starts
        # with.  Its state lives in one process (one per gunicorn worker).
        'dummy': {
            'ENGINE': 'dummy',
            'USER': '2',
        },
        # OpenStack (Nova) with Keystone v2.0 passwords.  Defaults: mimic.
        # For a real cloud: auth_url of its Keystone, 'auth_version':
        # '3.x_password' (with 'domain_name') for Keystone v3, its region,
        # drop service_name (mimic's catalogue has two compute services)
        # and the UNSUPPORTED line.
        'openstack': {
            'ENGINE': 'openstack',
            'USER': os.environ.get('OS_USERNAME', 'demo'),
            'PASSWORD_ENV': 'OS_PASSWORD',
            'EXTRA_PARAMS': {
                'auth_url': os.environ.get(
                    'OS_AUTH_URL', mimic_url + '/identity/'
                ),
                'auth_version': '2.0_password',
                'tenant': os.environ.get('OS_PROJECT_NAME', 'demo'),
                'region': os.environ.get('OS_REGION_NAME', 'ORD'),
                'service_name': 'cloudServersOpenStack',
            },
            'TIMEOUT': 20,
            'UNSUPPORTED': mimic_unsupported,
        },
        # Rackspace: user name and API key.  Defaults: mimic.  For the real
        # Rackspace, drop auth_url, auth_version and UNSUPPORTED.
        'rackspace': {
            'ENGINE': 'rackspace',
            'USER_ENV': 'RAX_USERNAME',
            'PASSWORD_ENV': 'RAX_API_KEY',
            'EXTRA_PARAMS': {
                'auth_url': os.environ.get(
                    'RAX_AUTH_URL', mimic_url + '/identity/'
                ),
                'auth_version': '2.0',
                'region': 'ord',
            },
            'UNSUPPORTED': mimic_unsupported,
        },
        # Amazon EC2: access key id and secret key, and a region.  Defaults:
        # moto.  For AWS itself, drop endpoint and endpoint_dialect (the
        # moto dialect bridges moto's differences from the real API and
        # changes nothing else); image_owner keeps the image list short.
        'ec2': {
            'ENGINE': 'ec2',
            'USER_ENV': 'AWS_ACCESS_KEY_ID',
            'PASSWORD_ENV': 'AWS_SECRET_ACCESS_KEY',
            'EXTRA_PARAMS': {
                'region': 'us-east-1',
                'endpoint': os.environ.get('EC2_URL', moto_url),
                'endpoint_dialect': 'moto',
                'image_owner': 'amazon',
            },
            'MAX_CONCURRENCY': 4,
        },
        # Eucalyptus: access key and secret key (here from a file), and the
        # endpoint, e.g. 'https://euca.example.org:8773/services/compute'.
        # Defaults: moto, in the moto dialect (drop it for a real cloud).
        'eucalyptus': {
            'ENGINE': 'eucalyptus',
            'USER_ENV': 'EC2_ACCESS_KEY',
            'PASSWORD_FILE': os.environ.get(
                'EUCA_SECRET_KEY_FILE', '/etc/mw/euca-secret-key'
            ),
            'EXTRA_PARAMS': {
                'endpoint': os.environ.get('EUCALYPTUS_URL', moto_url),
                'endpoint_dialect': 'moto',
            },
        },
        # libvirt: a hypervisor URI.  Default: libvirt's built-in test
        # hypervisor; 'qemu:///system' for the local KVM host,
        # 'qemu+ssh://root@host/system' for a remote one.
        'libvirt': {
            'ENGINE': 'libvirt',
            'EXTRA_PARAMS': {
                'uri': os.environ.get('LIBVIRT_URI', 'test:///default'),
            },
        },
        # Any other libcloud compute provider, through GenericDriver: its
        # libcloud name as ENGINE, USER and PASSWORD as the driver's key
        # and secret, EXTRA_PARAMS as its keyword arguments.
        # DigitalOcean takes one API token as its key.
        'digitalocean': {
            'ENGINE': 'digitalocean',
            'USER_ENV': 'DIGITALOCEAN_TOKEN',
            'EXTRA_PARAMS': {'api_version': 'v2'},
        },
    }
