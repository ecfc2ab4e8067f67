"""The provider labels of the cloud factory, with their capabilities."""

import functools

from dispatcher.lib import cloud_factory


def _source(label, target):
    if label in cloud_factory.BUILTIN_DRIVERS:
        return 'builtin'
    if target == cloud_factory.GENERIC_DRIVER:
        return 'libcloud'
    return 'plugin'


def list_providers():
    """Every label the factory serves, sorted, with its operations."""
    mapping, conflicts = cloud_factory.registry()
    return [
        dict(entry)
        for entry in _describe(
            tuple(sorted(mapping.items())),
            tuple(
                sorted(
                    (label, tuple(targets))
                    for label, targets in conflicts.items()
                )
            ),
        )
    ]


@functools.lru_cache(maxsize=8)
def _describe(registry, conflicts):
    # Probing every libcloud driver class is slow; the answer only changes
    # when the registry does (a plugin installed or removed).
    result = []
    for label, target in registry:
        entry = {
            'label': label,
            'driver': target,
            'source': _source(label, target),
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
    return result
