"""Collectors: what builds the inventory's model of one cloud.

The shape is OpenStack Watcher's cluster-data-model collectors.  A
collector is a :class:`BaseCollector` subclass made for one cloud of the
farm: :meth:`~BaseCollector.execute` builds the whole model of that cloud
(its nodes, images, sizes, locations, key pairs and volumes: what the cloud
publishes), ``period`` sets the seconds between two full syncs, and its
:attr:`~BaseCollector.notification_endpoints` apply changes to the model as
they happen, first of all the service's own creates, actions and deletes.

Collectors are found by name: the built-in ``cloud`` collector, then the
entry-point group ``dispatcher.collectors`` (``name = module:Class``); a
farm entry chooses one with its ``COLLECTOR`` key (default ``cloud``).  A
collector's options are set in the settings under its name::

    COLLECTORS = {'cloud': {'period': 120}}

This package knows nothing of the database: the inventory hands each
endpoint a :class:`ModelStore` to write to.
"""

import abc
import dataclasses
import functools
import logging
import re
from importlib import metadata

from dispatcher import errors
from dispatcher.lib.cloud_factory import import_target

LOG = logging.getLogger(__name__)

ENTRY_POINT_GROUP = 'dispatcher.collectors'

#: The built-in collector, which serves every cloud by default.
DEFAULT_COLLECTOR = 'cloud'
BUILTIN_COLLECTORS = {
    DEFAULT_COLLECTOR: 'dispatcher.lib.collectors.cloud:CloudCollector',
}

#: The kinds of resources a model holds, and the field naming each item.
KINDS = ('nodes', 'images', 'sizes', 'locations', 'key_pairs', 'volumes')
KEYS = {kind: 'id' for kind in KINDS}
KEYS['key_pairs'] = 'name'

#: The kinds that change only when the provider's offer changes.
CATALOGUE = ('images', 'sizes', 'locations')


@dataclasses.dataclass(frozen=True)
class Option:
    """A collector option: its name, type, default and help."""

    name: str
    type: type
    default: object
    help: str = ''
    minimum: float | None = None
    #: Its value (a token, a password) never appears in a message.
    secret: bool = False

    def parse(self, value, collector):
        """``value`` as this option's type; a :class:`ValueError` that
        names the option (and shows a secret one's value as ``***``)."""
        try:
            parsed = self.type(value)
        except (TypeError, ValueError):
            raise ValueError(
                'COLLECTORS[%r].%s must be a %s, not %s'
                % (
                    collector,
                    self.name,
                    self.type.__name__,
                    "'***'" if self.secret else repr(value),
                )
            )
        if self.minimum is not None and parsed < self.minimum:
            raise ValueError(
                'COLLECTORS[%r].%s must be at least %s'
                % (collector, self.name, self.minimum)
            )
        return parsed


@dataclasses.dataclass(frozen=True)
class Event:
    """A change of one resource of a cloud.

    :ivar cloud: the cloud's farm name.
    :ivar kind: one of :data:`KINDS`.
    :ivar type: ``created``, ``changed`` or ``deleted``.
    :ivar key: the resource's id (a key pair's name).
    :ivar item: the resource as the provider last answered (a value
        object), or ``None`` when the provider answered nothing.
    """

    cloud: str
    kind: str
    type: str
    key: str
    item: object = None

    @property
    def event_type(self):
        """``<kind>.<type>``, e.g. ``nodes.created``: what filters match."""
        return '%s.%s' % (self.kind, self.type)


class Model(object):
    """The model of one cloud built by :meth:`BaseCollector.execute`.

    :ivar items: kind -> the value objects the provider listed.
    :ivar failures: kind -> the :class:`~dispatcher.errors.MiddlewareError`
        that kept it from being listed (its items, if any, are not
        complete and must not replace the last model).
    """

    def __init__(self):
        self.items = {}
        self.failures = {}

    def add(self, kind, items):
        self.items[kind] = list(items)

    def fail(self, kind, error):
        self.failures[kind] = error

    @property
    def kinds(self):
        return tuple(self.items) + tuple(self.failures)


class ModelStore(abc.ABC):
    """Where notification endpoints write: one cloud's model in the
    inventory.  Given by the inventory; never built by a collector."""

    @abc.abstractmethod
    def put(self, kind, item):
        """Record ``item`` (a value object) as the provider has it now."""

    @abc.abstractmethod
    def remove(self, kind, key):
        """Record that the resource ``key`` is gone from the provider."""

    @abc.abstractmethod
    def deleting(self, kind, key):
        """The provider accepted to delete ``key``: it is ``deleting``
        until the provider no longer lists it, and ``delete_failed`` if it
        still does ``DELETE_CONFIRM_SECONDS`` later."""

    @abc.abstractmethod
    def expect_changes(self, kind):
        """Sync ``kind`` often for a while: the provider is changing it
        (a node goes from pending to running)."""


class NotificationEndpoint(object):
    """Handles the events whose ``<kind>.<type>`` matches
    :attr:`event_types` (a regular expression) by updating the model."""

    #: The events this endpoint handles.
    event_types = r'.*'

    def __init__(self, collector):
        self.collector = collector
        self._filter = re.compile(self.event_types)

    def accepts(self, event):
        return self._filter.fullmatch(event.event_type) is not None

    def info(self, store, event):
        """Apply ``event`` (an :class:`Event`) to ``store``."""
        raise NotImplementedError


class BaseCollector(abc.ABC):
    """Builds and maintains the model of one cloud.

    :param cloud: the :class:`~dispatcher.lib.cloud.Cloud` to model.
    :param config: this collector's options (name -> value), from
        :meth:`get_config_opts` and the settings' ``COLLECTORS[name]``.
    """

    #: The name it is registered under (set when it is loaded).
    name = None

    def __init__(self, cloud, config):
        self.cloud = cloud
        self.config = config

    @classmethod
    def get_config_opts(cls):
        """The options a collector takes: ``period`` and the burst of syncs
        after a change, for every one."""
        return [
            Option(
                'period',
                float,
                60.0,
                'seconds between two full syncs of a cloud',
                minimum=1,
            ),
            Option(
                'burst_interval',
                float,
                2.0,
                'seconds between two syncs of a kind while it changes',
                minimum=0.1,
            ),
            Option(
                'burst_seconds',
                float,
                60.0,
                'how long a kind is synced often after a change',
                minimum=0,
            ),
        ]

    @property
    def kinds(self):
        """The kinds of resources this collector models for its cloud."""
        return KINDS

    def period(self, kind):
        """Seconds between two syncs of ``kind``."""
        return self.config['period']

    @abc.abstractmethod
    def execute(self, kinds=None):
        """Build the whole model of the cloud (only ``kinds`` if given);
        returns a :class:`Model`.  A kind that cannot be listed goes in
        the model's ``failures``, never as an empty list."""

    @property
    @abc.abstractmethod
    def notification_endpoints(self):
        """The :class:`NotificationEndpoint` instances of this collector."""


def plugin_entry_points():
    """The installed collectors' entry points."""
    return list(metadata.entry_points(group=ENTRY_POINT_GROUP))


@functools.lru_cache(maxsize=None)
def registry():
    """Name -> ``module:Class`` of every collector; built-in names win."""
    mapping = dict(BUILTIN_COLLECTORS)
    for entry_point in plugin_entry_points():
        if entry_point.name in mapping:
            LOG.warning(
                'collector %r from %s is refused: the name is taken',
                entry_point.name,
                entry_point.value,
            )
            continue
        mapping[entry_point.name] = entry_point.value
    return mapping


def reload():
    """Read the installed collectors again."""
    registry.cache_clear()


def collector_class(name):
    """The collector class registered as ``name``.

    :raises errors.BadRequest: no collector has that name, or it cannot be
        loaded (the message names the known ones).
    """
    target = registry().get(name)
    if target is None:
        raise errors.BadRequest(
            'unknown collector %r (known: %s)'
            % (name, ', '.join(sorted(registry()))),
            code='collector_not_found',
            field='COLLECTOR',
        )
    try:
        cls = import_target(target)
    except Exception as exc:
        raise errors.BadRequest(
            'collector %r (%s) cannot be loaded: %s'
            % (name, target, type(exc).__name__),
            code='collector_not_found',
            field='COLLECTOR',
        )
    if not (isinstance(cls, type) and issubclass(cls, BaseCollector)):
        raise errors.BadRequest(
            'collector %r (%s) is not a BaseCollector' % (name, target),
            code='collector_not_found',
            field='COLLECTOR',
        )
    return cls


def configure(cls, name, settings):
    """The options of collector ``cls`` registered as ``name``: each
    declared option's default, overridden by ``settings[name]``.

    :raises ValueError: an option is unknown or has a bad value (the
        message names it).
    """
    given = dict((settings or {}).get(name) or {})
    config = {}
    for option in cls.get_config_opts():
        value = given.pop(option.name, option.default)
        config[option.name] = option.parse(value, name)
    if given:
        raise ValueError(
            'COLLECTORS[%r] has no option %s (known: %s)'
            % (
                name,
                ', '.join(sorted(given)),
                ', '.join(o.name for o in cls.get_config_opts()),
            )
        )
    return config


def build(name, cloud, settings):
    """A configured collector ``name`` for ``cloud``."""
    cls = collector_class(name)
    collector = cls(cloud, configure(cls, name, settings))
    collector.name = name
    return collector
