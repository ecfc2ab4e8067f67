"""The cloud factory: provider label -> driver class.

A lazy registry in libcloud's manner: each label maps to a ``"module:Class"``
string and the class is imported only when a farm uses it, so an optional SDK
that is missing disables one label, not the service.  Besides the built-in
map below, any libcloud compute provider is served by ``GenericDriver`` under
its libcloud name, and third-party distributions add labels through the
entry-point group ``dispatcher.cloud_drivers``::

    [options.entry_points]
    dispatcher.cloud_drivers =
        mycloud = mycloud_driver:MyCloudDriver

Built-in labels win: a plugin that claims one is refused,
with a warning at start-up, and the built-in cloud keeps serving.
"""

import functools
import importlib
from importlib import metadata

from libcloud.compute.providers import DRIVERS as LIBCLOUD_DRIVERS

from dispatcher.lib import Provider

ENTRY_POINT_GROUP = 'dispatcher.cloud_drivers'

_DRIVERS_PACKAGE = 'dispatcher.lib.cloud_factory.drivers'

BUILTIN_DRIVERS = {
    Provider.DUMMY: _DRIVERS_PACKAGE + '.dummy:DummyDriver',
    Provider.OPENSTACK: _DRIVERS_PACKAGE + '.openstack:OpenStackDriver',
    Provider.EUCALYPTUS: _DRIVERS_PACKAGE + '.eucalyptus:EucalyptusDriver',
    Provider.RACKSPACE: _DRIVERS_PACKAGE + '.rackspace:RackspaceDriver',
    Provider.EC2: _DRIVERS_PACKAGE + '.ec2:EC2Driver',
    Provider.LIBVIRT: _DRIVERS_PACKAGE + '.libvirt:LibvirtDriver',
    Provider.SIMULATOR: _DRIVERS_PACKAGE + '.simulator:SimulatorDriver',
}

GENERIC_DRIVER = _DRIVERS_PACKAGE + ':GenericDriver'


class UnknownProvider(ValueError):
    """The label names no built-in driver, libcloud provider or plugin."""


def libcloud_labels():
    """Labels of libcloud's compute providers, by their libcloud names."""
    return sorted(
        str(provider.value) if hasattr(provider, 'value') else str(provider)
        for provider in LIBCLOUD_DRIVERS
    )


def plugin_entry_points():
    """Installed entry points of the group ``dispatcher.cloud_drivers``."""
    return list(metadata.entry_points(group=ENTRY_POINT_GROUP))


@functools.lru_cache(maxsize=1)
def registry():
    """``(label -> "module:Class", label -> refused plugin targets)``.

    Read once per process (:func:`reload` reads it again).  A plugin may
    not take a label that a built-in driver or an earlier plugin already
    has: the label keeps its first owner and the plugin is listed among the
    label's conflicts.  A plugin may serve a libcloud provider's label
    instead of the generic driver.
    """
    mapping = {label: GENERIC_DRIVER for label in libcloud_labels()}
    mapping.update(BUILTIN_DRIVERS)
    taken = set(BUILTIN_DRIVERS)
    conflicts = {}
    for entry_point in plugin_entry_points():
        if entry_point.name in taken:
            conflicts.setdefault(entry_point.name, []).append(
                entry_point.value
            )
            continue
        taken.add(entry_point.name)
        mapping[entry_point.name] = entry_point.value
    return mapping, {k: tuple(v) for k, v in conflicts.items()}


def reload():
    """Read the installed plugins again (after installing one)."""
    registry.cache_clear()


def conflicts():
    """Label -> the plugin targets refused because the label was taken."""
    return dict(registry()[1])


def report_conflicts(log):
    """Warn once, on ``log``, of every plugin refused for a taken label."""
    mapping, refused = registry()
    for label, targets in sorted(refused.items()):
        log.warning(
            'plugin(s) %s refused: provider label %r is already served by %s',
            ', '.join(targets),
            label,
            mapping[label],
        )


def driver_map():
    """Every known label -> ``"module:Class"``, plugins included."""
    return dict(registry()[0])


def known_labels():
    """Sorted list of every label the factory can serve."""
    return sorted(registry()[0])


def import_target(target):
    """The object a ``"module:Name"`` target names (an entry point's
    value)."""
    module_name, _, class_name = target.partition(':')
    module = importlib.import_module(module_name)
    return getattr(module, class_name)


def get_driver_class(label):
    """The ``GenericDriver`` subclass serving ``label``.

    :raises UnknownProvider: naming the known labels.
    :raises ImportError: when the driver's optional SDK is missing.
    """
    mapping = registry()[0]
    if label not in mapping:
        raise UnknownProvider(
            'unknown provider label %r; known labels: %s'
            % (label, ', '.join(sorted(mapping)))
        )
    return import_target(mapping[label])
