"""``GenericDriver``: the contract every cloud driver of the farm honours.

A ``GenericDriver`` wraps one libcloud compute driver.  ``__init__`` maps a
farm entry (``ENGINE``, ``USER``, ``PASSWORD``, ``EXTRA_PARAMS``) to
libcloud's constructor arguments and ``connect()`` returns a connected
libcloud driver.  Subclasses exist where the mapping differs; any libcloud
provider without one is served by this class under its libcloud name.

The operations below run on a libcloud driver returned by ``connect()`` and
answer in the service's value objects (:mod:`..values`).  The service calls
them on a worker thread of the cloud that owns that driver: a libcloud driver
object is never shared between threads.  An operation the libcloud driver
does not implement is missing from :meth:`operations` and raises
``NotImplementedError`` (the API's 501).
"""

import inspect
import re

from libcloud.compute.base import NodeDriver
from libcloud.compute.providers import get_driver

from dispatcher import errors
from dispatcher.lib.cloud_factory import values
from dispatcher.lib.cloud_factory.drivers import image_lookup

#: Operations a cloud may publish as capabilities, by group.
OPERATIONS = (
    'list_nodes',
    'create_node',
    'reboot_node',
    'start_node',
    'stop_node',
    'destroy_node',
    'list_images',
    'list_sizes',
    'list_locations',
    'list_key_pairs',
    'create_key_pair',
    'import_key_pair_from_string',
    'delete_key_pair',
    'list_volumes',
    'create_volume',
    'attach_volume',
    'detach_volume',
    'destroy_volume',
)


_KWARG_READ = re.compile(
    r"""kwargs(?:\.get|\.pop)\(\s*['"](\w+)['"]|kwargs\[['"](\w+)['"]\]"""
)


def accepted_parameters(driver_class):
    """Keyword arguments a libcloud driver class's constructors read.

    The named parameters of every ``__init__`` in its MRO, and the keys
    those constructors read from ``**kwargs``.
    """
    names = set()
    for klass in inspect.getmro(driver_class):
        init = klass.__dict__.get('__init__')
        if init is None or klass is object:
            continue
        for name, parameter in inspect.signature(init).parameters.items():
            if parameter.kind not in (
                parameter.VAR_POSITIONAL,
                parameter.VAR_KEYWORD,
            ):
                names.add(name)
        try:
            source = inspect.getsource(init)
        except (OSError, TypeError):
            continue
        for match in _KWARG_READ.finditer(source):
            names.add(match.group(1) or match.group(2))
    names.discard('self')
    return names


class GenericDriver(object):
    """Wraps a libcloud driver for one farm entry.

    :param creds: the farm entry, a dict with ``ENGINE`` and optionally
        ``USER``, ``PASSWORD`` and ``EXTRA_PARAMS``.
    """

    #: Farm keys this driver cannot work without.
    required_credentials = ('USER',)
    #: Operations the libcloud driver has but this cloud does not really serve.
    unsupported = ()
    #: Whether the libcloud driver keeps its state in the object itself, so
    #: that the cloud must use one connection (and one thread) only.
    single_connection = False
    #: Whether ``connect()`` accepts a per-request ``timeout``.
    accepts_timeout = True
    #: The libcloud provider this wrapper drives (default: the farm's ENGINE).
    libcloud_provider = None
    #: ``EXTRA_PARAMS`` keys this wrapper consumes itself.
    own_params = ()

    def __init__(self, creds):
        self.creds = creds
        self.check_credentials()
        self.user = self.creds.get('USER', '')
        self.password = self.creds.get('PASSWORD', '')
        self.extra = dict(self.creds.get('EXTRA_PARAMS') or {})
        self.driver = self.driver_class()

    def driver_class(self):
        """The libcloud ``NodeDriver`` class this wrapper connects."""
        return get_driver(self.libcloud_provider or self.creds['ENGINE'])

    def check_credentials(self):
        """Raise ``ValueError`` naming the first required key that is empty."""
        for key in self.required_credentials:
            if not self.creds.get(key):
                raise ValueError('missing credential %s' % key)

    def check_parameters(self):
        """Raise ``ValueError`` naming ``EXTRA_PARAMS`` keys nobody accepts.

        libcloud's constructors swallow unknown keyword arguments, so a typo
        in a farm entry would otherwise be ignored without a word.
        """
        accepted = accepted_parameters(self.driver) | set(self.own_params)
        unknown = sorted(set(self.extra) - accepted)
        if unknown:
            raise ValueError(
                'bad parameter: EXTRA_PARAMS key(s) %s not accepted by %s; '
                'accepted: %s'
                % (
                    ', '.join(unknown),
                    self.driver.__name__,
                    ', '.join(sorted(accepted)) or 'none',
                )
            )

    def connect(self, **kwargs):
        """A new libcloud driver for this farm entry.

        :param kwargs: overrides of ``EXTRA_PARAMS`` (e.g. ``timeout``).
        """
        params = dict(self.extra, **kwargs)
        if self.password:
            return self.driver(self.user, self.password, **params)
        return self.driver(self.user, **params)

    # -- capabilities -----------------------------------------------------

    def operations(self):
        """The operations this cloud really serves, as a sorted list.

        An operation counts when the libcloud driver class overrides the
        base ``NodeDriver`` method (the base raises ``NotImplementedError``)
        and this wrapper does not declare it unsupported.
        """
        cached = self.__dict__.get('_operations')
        if cached is None:
            excluded = set(self.unsupported) | set(
                self.creds.get('UNSUPPORTED') or ()
            )
            cached = self._operations = sorted(
                name
                for name in OPERATIONS
                if name not in excluded and self._implements(name)
            )
        return list(cached)

    @classmethod
    def published_operations(cls, label):
        """The operations of ``label`` as such, before any farm entry."""
        probe = cls.__new__(cls)
        probe.creds = {'ENGINE': label}
        probe.driver = probe.driver_class()
        return probe.operations()

    def _implements(self, name):
        own = getattr(type(self), name, None)
        if own is not getattr(GenericDriver, name, None):
            return True
        # Some libcloud classes pick a versioned subclass in ``__new__``
        # (DigitalOcean, Linode, ...): what those implement counts.
        classes = [self.driver]
        if '__new__' in vars(self.driver):
            classes.extend(self.driver.__subclasses__())
        base = getattr(NodeDriver, name, None)
        return any(getattr(klass, name, base) is not base for klass in classes)

    def check(self, driver, cloud):
        """Prove the credentials with one cheap authenticated call."""
        driver.list_nodes()

    # -- nodes ----------------------------------------------------------

    def node_id(self, node):
        """The stable id of a libcloud node (the one used in URLs)."""
        return node.id

    def to_node(self, node, cloud):
        """A libcloud node as the API's node dict."""
        return values.to_node(
            node, self.node_id(node), cloud, self.operations()
        )

    def find_node(self, driver, node_id):
        """The libcloud ``Node`` with stable id ``node_id``, or 404."""
        for node in driver.list_nodes():
            if str(self.node_id(node)) == str(node_id):
                return node
        raise errors.NotFound(
            'node %r not found' % node_id, code='node_not_found'
        )

    def list_nodes(self, driver, cloud):
        return [self.to_node(node, cloud) for node in driver.list_nodes()]

    def get_node(self, driver, cloud, node_id):
        return self.to_node(self.find_node(driver, node_id), cloud)

    def create_node(
        self, driver, cloud, name, size, image, location=None, key_name=None
    ):
        """Create a node; ``size``, ``image``, ``location`` are ids."""
        kwargs = {
            'name': name,
            'size': self.find_size(driver, size),
            'image': self.find_image(driver, image),
        }
        if location is not None:
            kwargs['location'] = self.find_location(driver, location)
        if key_name is not None:
            kwargs['ex_keyname'] = key_name
        return self.to_node(driver.create_node(**kwargs), cloud)

    def reboot_node(self, driver, cloud, node_id):
        return driver.reboot_node(self.find_node(driver, node_id))

    def start_node(self, driver, cloud, node_id):
        return driver.start_node(self.find_node(driver, node_id))

    def stop_node(self, driver, cloud, node_id):
        return driver.stop_node(self.find_node(driver, node_id))

    def destroy_node(self, driver, cloud, node_id):
        return driver.destroy_node(self.find_node(driver, node_id))

    # -- catalogue ------------------------------------------------------

    def _find(self, items, wanted, field):
        for item in items:
            if str(item.id) == str(wanted):
                return item
        raise errors.BadRequest(
            '%s %r does not exist' % (field, wanted),
            field=field,
            code='invalid_field',
        )

    def find_size(self, driver, size_id):
        return self._find(driver.list_sizes(), size_id, 'size')

    def find_image(self, driver, image_id):
        """The image ``image_id``; 400 naming the field when it is unknown.

        Uses the driver's ``get_image`` where it has one: listing every
        image of a public cloud takes seconds.
        """
        if type(driver).get_image is not NodeDriver.get_image:
            try:
                return image_lookup.get_image(
                    driver, image_id, self.creds.get('NAME')
                )
            except NotImplementedError:
                pass
        return self._find(driver.list_images(), image_id, 'image')

    def find_location(self, driver, location_id):
        return self._find(driver.list_locations(), location_id, 'location')

    def list_images(self, driver, cloud):
        return [values.to_image(i, cloud) for i in driver.list_images()]

    def list_sizes(self, driver, cloud):
        return [values.to_size(s, cloud) for s in driver.list_sizes()]

    def list_locations(self, driver, cloud):
        return [
            values.to_location(loc, cloud) for loc in driver.list_locations()
        ]

    # -- key pairs ------------------------------------------------------

    def list_key_pairs(self, driver, cloud):
        return [values.to_key_pair(k, cloud) for k in driver.list_key_pairs()]

    def create_key_pair(self, driver, cloud, name):
        """Create a key pair; its private key is in this answer only."""
        key_pair = driver.create_key_pair(name)
        return values.to_key_pair(
            key_pair, cloud, private_key=key_pair.private_key
        )

    def import_key_pair_from_string(self, driver, cloud, name, public_key):
        key_pair = driver.import_key_pair_from_string(name, public_key)
        return values.to_key_pair(key_pair, cloud)

    def find_key_pair(self, driver, name):
        for key_pair in driver.list_key_pairs():
            if key_pair.name == name:
                return key_pair
        raise errors.NotFound(
            'key pair %r not found' % name, code='key_pair_not_found'
        )

    def delete_key_pair(self, driver, cloud, name):
        return driver.delete_key_pair(self.find_key_pair(driver, name))

    # -- volumes --------------------------------------------------------

    def list_volumes(self, driver, cloud):
        return [values.to_volume(v, cloud) for v in driver.list_volumes()]

    def find_volume(self, driver, volume_id):
        for volume in driver.list_volumes():
            if str(volume.id) == str(volume_id):
                return volume
        raise errors.NotFound(
            'volume %r not found' % volume_id, code='volume_not_found'
        )

    def create_volume(self, driver, cloud, name, size, location=None):
        kwargs = {}
        if location is not None:
            kwargs['location'] = self.find_location(driver, location)
        volume = driver.create_volume(size, name, **kwargs)
        return values.to_volume(volume, cloud)

    def attach_volume(self, driver, cloud, volume_id, node_id, device=None):
        volume = self.find_volume(driver, volume_id)
        node = self.find_node(driver, node_id)
        driver.attach_volume(node, volume, device=device)
        return values.to_volume(self.find_volume(driver, volume_id), cloud)

    def detach_volume(self, driver, cloud, volume_id):
        driver.detach_volume(self.find_volume(driver, volume_id))
        return values.to_volume(self.find_volume(driver, volume_id), cloud)

    def destroy_volume(self, driver, cloud, volume_id):
        return driver.destroy_volume(self.find_volume(driver, volume_id))
