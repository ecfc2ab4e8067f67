"""libvirt hypervisors through libcloud's ``LibvirtNodeDriver``.

``EXTRA_PARAMS`` takes ``uri`` (default ``qemu:///system``); libvirt's
built-in test hypervisor is ``test:///default`` (one running domain, shared
by every connection of the process) or ``test:///path/to/node.xml`` (the
domains that file defines, private to one connection, so such a cloud uses
a single connection).  ``USER``/``PASSWORD`` are only for a remote libvirtd.
Needs the ``libvirt-python`` package
(``pip install 'mw-dispatcher[libvirt]'``).

What this wrapper changes in libcloud's mapping:

* a domain's run-time id changes on every start and is -1 while it is shut
  off, so nodes are known by their uuid;
* libcloud calls a shut-off or paused domain ``terminated``; it still
  exists and can be started, so it is ``stopped`` or ``paused`` here, and
  ``start`` resumes a paused domain;
* destroying a node powers it off and removes its definition (its disk
  images are left alone), where libcloud's ``destroy_node`` only powers it
  off, which the ``stop`` action already does.
"""

from libcloud.compute.drivers import libvirt_driver
from libcloud.compute.types import NodeState

from ..configuration import Field
from . import GenericDriver

#: libvirt's ``virDomainState`` values, as node states.
DOMAIN_STATES = {
    0: NodeState.UNKNOWN,  # no state
    1: NodeState.RUNNING,  # running
    2: NodeState.RUNNING,  # blocked on a resource, still running
    3: NodeState.PAUSED,  # paused by the user
    4: NodeState.STOPPING,  # being shut down
    5: NodeState.STOPPED,  # shut off
    6: NodeState.ERROR,  # crashed
    7: NodeState.SUSPENDED,  # suspended by guest power management
}

_PAUSED = 3

#: ``VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | _SNAPSHOTS_METADATA``, then with
#: ``_NVRAM`` (hypervisors without UEFI variables refuse that flag).
UNDEFINE_FLAGS = 1 | 2
UNDEFINE_NVRAM = 4


class ServiceLibvirtNodeDriver(libvirt_driver.LibvirtNodeDriver):
    """libcloud's libvirt driver with the domain states named as they are."""

    NODE_STATE_MAP = DOMAIN_STATES


def _quiet(context, error):
    # libvirt prints every error to stderr by default; they are raised as
    # libvirtError and translated like any other provider error.
    return None


class LibvirtDriver(GenericDriver):
    """libvirt: a hypervisor URI."""

    libcloud_class = ServiceLibvirtNodeDriver
    libcloud_parameters = False
    configuration = (
        Field('USER', help='user name of a remote libvirtd'),
        Field('PASSWORD', secret=True, help='its password'),
        Field(
            'uri',
            default='qemu:///system',
            help='the hypervisor URI (test:///default: a test hypervisor)',
        ),
    )
    accepts_timeout = False

    def __init__(self, creds):
        super(LibvirtDriver, self).__init__(creds)
        if not libvirt_driver.have_libvirt:
            raise ImportError(
                'the libvirt-python package is not installed '
                "(pip install 'mw-dispatcher[libvirt]')"
            )
        self.extra.setdefault('uri', 'qemu:///system')
        uri = str(self.extra['uri'])
        # Each connection to a test:///file.xml hypervisor has its own state.
        self.single_connection = (
            uri.startswith('test:///') and uri != 'test:///default'
        )

    def connect(self, **kwargs):
        libvirt_driver.libvirt.registerErrorHandler(_quiet, None)
        return self.driver(
            uri=self.extra['uri'],
            key=self.user or None,
            secret=self.password or None,
        )

    def node_id(self, node):
        return node.extra.get('uuid') or node.id

    def start_node(self, driver, cloud, node):
        domain = driver._get_domain_for_node(node)
        if domain.state()[0] == _PAUSED:
            return domain.resume() == 0
        return domain.create() == 0

    def destroy_node(self, driver, cloud, node):
        """Power the domain off if it runs, then remove its definition.

        Its managed save image, snapshot metadata and UEFI variables go
        with the definition (libvirt refuses to undefine a domain that has
        them otherwise); its disk images stay.
        """
        domain = driver._get_domain_for_node(node)
        # A transient domain is gone once powered off: ask first.
        persistent = domain.isPersistent()
        if domain.isActive():
            domain.destroy()
        if persistent:
            try:
                domain.undefineFlags(UNDEFINE_FLAGS | UNDEFINE_NVRAM)
            except libvirt_driver.libvirt.libvirtError:
                domain.undefineFlags(UNDEFINE_FLAGS)
        return True
