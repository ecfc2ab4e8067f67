"""The clouds the conformance suite runs against, one per provider label.

Each :class:`Backend` is a farm entry plus what a test must know of the
cloud behind it: which image and size to create nodes from (``None``: the
first the cloud lists), and how to let time pass on an emulator whose clock
only moves when told.  What an emulator lacks that the real cloud has is
declared in the entry's ``UNSUPPORTED`` key, so the cloud publishes it as
unsupported and the API answers 501, exactly as an operator would do.
"""

from dispatcher.testing import CloudUnderTest
from tests.backends import libvirt_hypervisor, mimic_server, moto_server
from tests.backends.emulators import shared
from tests.backends.farm_entries import (
    ec2_entry,
    openstack_entry,
    rackspace_entry,
)

#: What mimic 2.2.0 does not emulate (stop/start answer 400, volumes 404,
#: a key pair without a public key 500), declared as a farm would.
MIMIC_UNSUPPORTED = [
    'start_node',
    'stop_node',
    'create_key_pair',
    'list_volumes',
    'create_volume',
    'attach_volume',
    'detach_volume',
    'destroy_volume',
]


class Backend(CloudUnderTest):
    """One cloud of the suite: the kit's cloud under test, with the
    emulator serving it (if any).

    :param emulator: the emulator serving it, if any.
    """

    def __init__(self, label, entry, emulator=None, **kwargs):
        super().__init__(label, entry, **kwargs)
        self.emulator = emulator

    def settle(self):
        """Let time pass on the provider (mimic's clock is manual)."""
        if isinstance(self.emulator, mimic_server.MimicServer):
            self.emulator.tick(10)


def simulator(request, folder):
    return Backend(
        'simulator',
        {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0.0}},
        image='img-debian-12',
        size='small',
    )


def dummy(request, folder):
    return Backend('dummy', {'ENGINE': 'dummy', 'USER': '2'})


def _moto_backend(label, request, size):
    moto = shared(request.config, 'moto', moto_server.MotoServer)
    moto.reset()
    return Backend(
        label,
        ec2_entry(moto, label),
        image=moto.image_id(),
        size=size,
        emulator=moto,
    )


def ec2(request, folder):
    return _moto_backend('ec2', request, 't2.micro')


def eucalyptus(request, folder):
    return _moto_backend('eucalyptus', request, 'm1.small')


def openstack(request, folder):
    mimic = shared(request.config, 'mimic', mimic_server.MimicServer)
    user, tenant = mimic.account()
    entry = openstack_entry(
        mimic.auth_url, user, tenant, UNSUPPORTED=MIMIC_UNSUPPORTED
    )
    return Backend('openstack', entry, emulator=mimic)


def rackspace(request, folder):
    mimic = shared(request.config, 'mimic', mimic_server.MimicServer)
    user, _ = mimic.account()
    entry = rackspace_entry(
        mimic.auth_url, user, UNSUPPORTED=MIMIC_UNSUPPORTED
    )
    return Backend('rackspace', entry, emulator=mimic)


def libvirt(request, folder):
    libvirt_hypervisor.require_libvirt()
    return Backend(
        'libvirt',
        {
            'ENGINE': 'libvirt',
            'EXTRA_PARAMS': {'uri': libvirt_hypervisor.hypervisor_uri(folder)},
        },
    )


#: Every provider label of the suite, in the order tests run.
BACKENDS = {
    factory.__name__: factory
    for factory in (
        simulator,
        dummy,
        ec2,
        eucalyptus,
        openstack,
        rackspace,
        libvirt,
    )
}
