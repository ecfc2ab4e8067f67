"""libvirt hypervisors through libcloud's ``LibvirtNodeDriver``.

``EXTRA_PARAMS`` takes ``uri`` (default ``qemu:///system``; ``test:///default``
is libvirt's built-in test hypervisor).  ``USER``/``PASSWORD`` are only for a
remote libvirtd.  Needs the ``libvirt-python`` package.  A libvirt domain's
run-time id changes on every start, so nodes are known by their uuid.
"""

from libcloud.compute.types import Provider as LibcloudProvider

from . import GenericDriver


class LibvirtDriver(GenericDriver):
    """libvirt: a hypervisor URI."""

    libcloud_provider = LibcloudProvider.LIBVIRT
    required_credentials = ()
    accepts_timeout = False

    def __init__(self, creds):
        super(LibvirtDriver, self).__init__(creds)
        self.extra.setdefault('uri', 'qemu:///system')

    def connect(self, **kwargs):
        return self.driver(uri=self.extra['uri'], key=self.user or None,
                           secret=self.password or None)

    def node_id(self, node):
        return node.extra.get('uuid') or node.id
