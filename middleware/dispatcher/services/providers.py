"""The provider labels of the cloud factory: capabilities, configuration."""

import functools

from dispatcher import errors
from dispatcher.lib import cloud_factory


def _source(label, target):
    if label in cloud_factory.BUILTIN_DRIVERS:
        return 'builtin'
    if target == cloud_factory.GENERIC_DRIVER:
        return 'libcloud'
    return 'plugin'


def list_providers(farm=None):
    """Every label the factory serves, sorted, with its operations.

    A label whose driver declares no libcloud class shows the operations
    of a cloud of ``farm`` that uses it, once that cloud has connected.
    """
    return [_with_farm(dict(entry), farm) for entry in _describe()]


def get_provider(label, farm=None):
    """One label with the fields of its farm entry; 404 when unknown."""
    for entry in _describe():
        if entry['label'] == label:
            entry = _with_farm(dict(entry), farm)
            try:
                driver_class = cloud_factory.get_driver_class(label)
                schema = driver_class.configuration_schema(label)
                entry['configuration'] = schema.describe()
                entry['open_extra_params'] = schema.open_extra
            except Exception:  # already reported as the entry's reason
                entry['configuration'] = []
                entry['open_extra_params'] = False
            return entry
    raise errors.NotFound(
        'provider label %r not found' % label,
        code='provider_label_not_found',
    )


def _with_farm(entry, farm):
    if entry['capabilities'] is not None:
        entry['capabilities_known'] = True
        return entry
    learnt = [
        cloud.operations()
        for cloud in (farm or ())
        if cloud.label == entry['label']
        and cloud.available
        and cloud.driver.capability_class() is not None
    ]
    entry['capabilities'] = learnt[0] if learnt else []
    entry['capabilities_known'] = bool(learnt)
    return entry


@functools.lru_cache(maxsize=1)
def _describe():
    # Probing every libcloud driver class is slow, and the registry is read
    # once per process: describe it once.
    mapping, conflicts = cloud_factory.registry()
    result = []
    for label, target in sorted(mapping.items()):
        entry = {
            'label': label,
            'driver': target,
            'source': _source(label, target),
            'conflicts': list(conflicts.get(label, ())),
        }
        try:
            driver_class = cloud_factory.get_driver_class(label)
            entry['capabilities'] = driver_class.published_operations(label)
            entry['available'] = True
        except Exception as exc:  # a plugin or SDK that cannot be loaded
            entry.update(
                available=False,
                capabilities=[],
                reason='%s: %s' % (type(exc).__name__, exc),
            )
        result.append(entry)
    return tuple(result)


def forget():
    """Describe the registry again (after :func:`cloud_factory.reload`)."""
    _describe.cache_clear()
