"""``GenericDriver``: the contract every cloud driver of the farm honours.

A driver is a subclass that implements two methods:

``__init__(self, creds)``
    maps the farm entry (``ENGINE``, ``USER``, ``PASSWORD``,
    ``EXTRA_PARAMS``, ``NAME``, ``INSTANCE_PATH``) to what its libcloud
    driver wants.  Calling ``super().__init__(creds)`` is optional: the
    service fills in what the base class reads (``creds``, ``user``,
    ``password``, ``extra``) from the entry when the subclass did not.
``connect(self, **kwargs)``
    returns a new, connected libcloud ``NodeDriver``.

Everything else is optional and has a default, listed in
``docs/drivers.rst``.  The operations below run on a
libcloud driver returned by ``connect()`` and answer in the service's value
objects (:mod:`..values`).  The service calls them on a worker thread of
the cloud that owns that driver: a libcloud driver object is never shared
between threads.  An operation the libcloud driver does not implement is
missing from :meth:`operations` and raises ``NotImplementedError`` (the
API's 501).
"""

import dataclasses
import functools
import inspect

from libcloud.compute.base import NodeDriver
from libcloud.compute.providers import DRIVERS as LIBCLOUD_DRIVERS
from libcloud.compute.providers import get_driver

from dispatcher import errors
from dispatcher.lib.cloud_factory import configuration, values
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

#: Parameter names of libcloud's ``create_node`` that take a key pair's
#: name, in the order they are looked for.
KEY_PAIR_PARAMETERS = ('ex_keyname', 'ex_key_name')

#: What the base class reads from a driver, and where it comes from when a
#: subclass's ``__init__`` did not set it.
ENTRY_ATTRIBUTES = {
    'creds': lambda creds: creds,
    'user': lambda creds: creds.get('USER') or '',
    'password': lambda creds: creds.get('PASSWORD') or '',
    'extra': lambda creds: dict(creds.get('EXTRA_PARAMS') or {}),
}


@functools.lru_cache(maxsize=None)
def _libcloud_labels():
    return frozenset(
        str(getattr(provider, 'value', provider))
        for provider in LIBCLOUD_DRIVERS
    )


def build(driver_class, creds):
    """An instance of ``driver_class`` for the farm entry ``creds``.

    Runs the class's own ``__init__`` and then gives every attribute of
    :data:`ENTRY_ATTRIBUTES` it left unset its value from the entry, so a
    subclass need not call ``super().__init__()``.
    """
    driver = driver_class(creds)
    for name, default in ENTRY_ATTRIBUTES.items():
        if name not in vars(driver):
            setattr(driver, name, default(creds))
    return driver


class GenericDriver(object):
    """Wraps a libcloud driver for one farm entry.

    :param creds: the farm entry, a dict with ``ENGINE`` and optionally
        ``USER``, ``PASSWORD`` and ``EXTRA_PARAMS``, plus ``NAME`` (the
        cloud's name in the farm) and ``INSTANCE_PATH``.
    """

    #: The farm entry's fields (:class:`configuration.Field`), or ``None``:
    #: the parameters of the libcloud class's constructor (any
    #: ``EXTRA_PARAMS`` key when the class is known only once connected).
    configuration = None
    #: Whether ``EXTRA_PARAMS`` also takes the parameters of the libcloud
    #: class's constructor besides the declared fields.
    libcloud_parameters = True
    #: The libcloud ``NodeDriver`` class behind this driver, or ``None``:
    #: ``libcloud_provider``'s class, else the class of what ``connect()``
    #: returns.
    libcloud_class = None
    #: The libcloud provider name of this driver (default: the ``ENGINE``
    #: label, when it is one of libcloud's).
    libcloud_provider = None
    #: Operations the libcloud driver has but this cloud does not really serve.
    unsupported = ()
    #: Whether the libcloud driver keeps its state in the object itself, so
    #: that the cloud must use one connection (and one thread) only.
    single_connection = False
    #: Whether ``connect()`` accepts a per-request ``timeout``.
    accepts_timeout = True
    #: Whether ``connect()`` makes no network call, so that the service may
    #: call it once at start-up to prove the entry (else on first use).
    connect_at_start = True
    #: ``create_node``'s parameter for a key pair's name (default: the first
    #: of :data:`KEY_PAIR_PARAMETERS` the libcloud class takes, if any).
    key_pair_parameter = None
    #: A farm entry the driver test kit may use (default: ``ENGINE`` and the
    #: configuration's defaults).
    sample_entry = None

    def __init__(self, creds):
        self.creds = creds
        self.user = creds.get('USER') or ''
        self.password = creds.get('PASSWORD') or ''
        self.extra = dict(creds.get('EXTRA_PARAMS') or {})

    # -- the libcloud class ---------------------------------------------

    @property
    def driver(self):
        """The libcloud ``NodeDriver`` class ``connect()`` instantiates."""
        chosen = vars(self).get('_driver')
        return chosen if chosen is not None else self.driver_class()

    @driver.setter
    def driver(self, value):
        self._driver = value

    @classmethod
    def declared_class(cls, label):
        """The libcloud class of ``label`` known without an entry, or
        ``None`` (learnt from the first connection)."""
        if cls.libcloud_class is not None:
            return cls.libcloud_class
        provider = cls.libcloud_provider or label
        if provider is None or str(provider) not in _libcloud_labels():
            return None
        return get_driver(provider)

    def driver_class(self):
        """The libcloud ``NodeDriver`` class this wrapper connects."""
        return self.declared_class(self.creds.get('ENGINE'))

    def learn(self, connection):
        """Note the class of a connection ``connect()`` returned: where no
        libcloud class is declared, it tells the capabilities."""
        if self.libcloud_class is None and '_learnt' not in vars(self):
            self._learnt = type(connection)
            vars(self).pop('_operations', None)

    def capability_class(self):
        """The class whose methods say what this cloud can do, or ``None``
        before the first connection of a driver that declares none."""
        if self.libcloud_class is not None:
            return self.libcloud_class
        return vars(self).get('_learnt') or self.driver

    # -- configuration --------------------------------------------------

    @classmethod
    def configuration_schema(cls, label):
        """The :class:`configuration.Schema` of this driver's farm entry."""
        declared = tuple(cls.configuration or ())
        klass = cls.declared_class(label)
        if klass is None:
            return configuration.Schema(
                declared, open_extra=cls.configuration is None
            )
        if cls.configuration is not None and not cls.libcloud_parameters:
            return configuration.Schema(declared)
        names = {field.name for field in declared}
        derived = tuple(
            field
            for field in configuration.from_libcloud(klass)
            if field.name not in names
        )
        return configuration.Schema(declared + derived)

    @classmethod
    def example_entry(cls, label):
        """A farm entry of ``label`` for the test kit."""
        if cls.sample_entry is not None:
            return dict(cls.sample_entry, ENGINE=label)
        return {'ENGINE': label}

    def check_parameters(self):
        """Raise ``ValueError`` naming the first field of the farm entry
        its configuration refuses (a typo included: libcloud's
        constructors swallow unknown keyword arguments without a word)."""
        self.configuration_schema(self.creds.get('ENGINE')).validate(
            self.creds
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

        An operation counts when the libcloud class overrides the base
        ``NodeDriver`` method (the base raises ``NotImplementedError``) or
        this wrapper implements it, and neither the wrapper nor the farm
        entry declares it unsupported.  Empty until the first connection
        of a driver whose libcloud class is known only then.
        """
        cached = vars(self).get('_operations')
        if cached is None:
            klass = self.capability_class()
            if klass is None:
                return []
            excluded = set(self.unsupported) | set(
                self.creds.get('UNSUPPORTED') or ()
            )
            cached = self._operations = _operations_of(
                type(self), klass, frozenset(excluded)
            )
        return list(cached)

    @classmethod
    def published_operations(cls, label):
        """The operations of ``label`` as such, before any farm entry, or
        ``None`` when they are learnt from a cloud's first connection."""
        klass = cls.declared_class(label)
        if klass is None:
            return None
        return list(_operations_of(cls, klass, frozenset(cls.unsupported)))

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

    def key_pair_arguments(self, cloud, key_name):
        """``create_node``'s keyword arguments giving a node ``key_name``.

        :raises errors.BadRequest: naming ``key_name`` when the provider's
            ``create_node`` takes no key pair.
        """
        if key_name is None:
            return {}
        parameter = self.key_pair_parameter or _key_pair_parameter(
            self.capability_class()
        )
        if parameter is None:
            raise errors.BadRequest(
                'cloud %r cannot give a new node a key pair' % cloud,
                field='key_name',
                code='invalid_field',
            )
        return {parameter: key_name}

    def create_node(self, driver, cloud, spec):
        """Create a node from a :class:`~..values.NodeSpec` (ids).  Its
        size, image and location are built from the documents the spec
        carries (``known``, from the inventory), else found at the
        provider."""
        known = spec.known or {}
        kwargs = dict(
            self.key_pair_arguments(cloud, spec.key_name),
            name=spec.name,
            size=(
                values.libcloud_size(known['size'], driver)
                if 'size' in known
                else self.find_size(driver, spec.size)
            ),
            image=(
                values.libcloud_image(known['image'], driver)
                if 'image' in known
                else self.find_image(driver, spec.image)
            ),
        )
        if spec.location is not None:
            kwargs['location'] = (
                values.libcloud_location(known['location'], driver)
                if 'location' in known
                else self.find_location(driver, spec.location)
            )
        return self.to_node(driver.create_node(**kwargs), cloud)

    def act_on_node(self, driver, cloud, node_id, action):
        """Reboot, start or stop a node, found once; 409 when its state
        forbids ``action``.  Answers the node as the provider left it."""
        node = self.find_node(driver, node_id)
        before = self.to_node(node, cloud)
        if action not in before.actions:
            raise errors.Conflict(
                'cannot %s node %r in state %r; valid actions: %s'
                % (
                    action,
                    node_id,
                    before.state.value,
                    ', '.join(before.actions) or 'none',
                ),
                code='invalid_state',
                cloud=cloud,
            )
        operation = getattr(self, values.ACTION_OPERATIONS[action])
        outcome = operation(driver, cloud, node)
        after = self.to_node(node, cloud)
        if isinstance(outcome, values.NodeState) or (
            after.state == before.state
        ):
            state = (
                outcome
                if isinstance(outcome, values.NodeState)
                else values.ACTION_STATES[action]
            )
            after = dataclasses.replace(
                after,
                state=state,
                actions=values.node_actions(state, self.operations()),
            )
        return after

    def delete_node(self, driver, cloud, node_id):
        """Destroy a node, found once; answers it as last seen, terminated."""
        node = self.find_node(driver, node_id)
        self.destroy_node(driver, cloud, node)
        return dataclasses.replace(
            self.to_node(node, cloud),
            state=values.NodeState.TERMINATED,
            actions=[],
        )

    def reboot_node(self, driver, cloud, node):
        """Reboot the libcloud ``node``.

        This hook and the next two may return the node's state after the
        action (a :class:`~..values.NodeState`); else the answer shows the
        state of ``node`` if the provider changed it, or the state the
        action leads to (:data:`~..values.ACTION_STATES`).
        """
        return driver.reboot_node(node)

    def start_node(self, driver, cloud, node):
        return driver.start_node(node)

    def stop_node(self, driver, cloud, node):
        return driver.stop_node(node)

    def destroy_node(self, driver, cloud, node):
        return driver.destroy_node(node)

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

    def create_volume(self, driver, cloud, spec):
        """Create a volume from a :class:`~..values.VolumeSpec`."""
        kwargs = {}
        if spec.location is not None:
            kwargs['location'] = self.find_location(driver, spec.location)
        volume = driver.create_volume(spec.size, spec.name, **kwargs)
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


@functools.lru_cache(maxsize=256)
def _operations_of(wrapper_class, klass, excluded):
    """The operations ``wrapper_class`` serves over libcloud's ``klass``."""
    return tuple(
        sorted(
            name
            for name in OPERATIONS
            if name not in excluded and _implements(wrapper_class, klass, name)
        )
    )


def _implements(wrapper_class, klass, name):
    own = getattr(wrapper_class, name, None)
    if own is not getattr(GenericDriver, name, None):
        return True
    # Some libcloud classes pick a versioned subclass in ``__new__``
    # (DigitalOcean, Linode, ...): what those implement counts.
    classes = [klass]
    if '__new__' in vars(klass):
        classes.extend(klass.__subclasses__())
    base = getattr(NodeDriver, name, None)
    return any(getattr(c, name, base) is not base for c in classes)


def _key_pair_parameter(klass):
    if klass is None:
        return None
    try:
        parameters = inspect.signature(klass.create_node).parameters
    except (TypeError, ValueError):
        return None
    for name in KEY_PAIR_PARAMETERS:
        if name in parameters:
            return name
    return None
