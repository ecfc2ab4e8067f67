"""libcloud's ``DummyNodeDriver``, as the original orchestrator used it.

``USER`` is what libcloud calls ``creds``: a number N starts the cloud with N
nodes (anything else, 2).  The dummy keeps its nodes in the driver object,
so this cloud uses one connection on one thread (its state is per process:
each gunicorn worker has its own dummy cloud; use ``simulator`` for a shared
one).  libcloud's dummy ignores node names and reuses ids after a destroy;
this wrapper keeps the requested name and never reuses an id.
"""

from libcloud.compute.drivers.dummy import DummyNodeDriver
from libcloud.compute.types import NodeState

from .. import values
from ..configuration import Field
from . import GenericDriver


class DummyDriver(GenericDriver):
    """Wraps ``DummyNodeDriver``."""

    libcloud_class = DummyNodeDriver
    configuration = (
        Field(
            'USER',
            'any',
            help='how many nodes the cloud starts with (a number; '
            'empty: none)',
        ),
    )
    libcloud_parameters = False
    single_connection = True
    accepts_timeout = False
    # libcloud's dummy imports key pairs it can then neither list nor delete.
    unsupported = ('import_key_pair_from_string',)

    def connect(self, **kwargs):
        user = self.user
        try:
            creds = int(user) if user not in (None, '') else 0
        except (TypeError, ValueError):
            creds = user
        driver = self.driver(creds)
        # libcloud numbers its first node 0, which its Node turns into None.
        for number, node in enumerate(driver.nl, 1):
            node.id = str(number)
        driver.mw_next_id = len(driver.nl) + 1
        return driver

    def create_node(self, driver, cloud, spec):
        """Create a dummy node with the requested name and a fresh id."""
        self.key_pair_arguments(cloud, spec.key_name)
        if spec.location is not None:
            self.find_location(driver, spec.location)
        node = driver.create_node(
            name=spec.name,
            size=self.find_size(driver, spec.size),
            image=self.find_image(driver, spec.image),
        )
        node.name = spec.name
        node.id = str(driver.mw_next_id)
        driver.mw_next_id += 1
        return self.to_node(node, cloud)

    def reboot_node(self, driver, cloud, node):
        """A dummy node reboots at once: libcloud's dummy would leave it
        ``rebooting`` for ever."""
        driver.reboot_node(node)
        node.state = NodeState.RUNNING
        return values.NodeState.RUNNING
