"""Every conformance check, for ``from dispatcher.testing.conformance
import *`` in a test module (or ``--pyargs dispatcher.testing.conformance``).

The checks take the fixtures ``api`` (the cloud under test) and ``peer``
(a simulated cloud beside it); :mod:`dispatcher.testing.plugin` provides
them from the ``mw_cloud`` fixture.
"""

from dispatcher.testing.checks import (
    capabilities,
    catalogue,
    inventory,
    key_pairs,
    nodes,
    volumes,
)

_MODULES = (capabilities, catalogue, inventory, key_pairs, nodes, volumes)

__all__ = []
for _module in _MODULES:
    for _name in dir(_module):
        if _name.startswith('test_'):
            globals()[_name] = getattr(_module, _name)
            __all__.append(_name)
