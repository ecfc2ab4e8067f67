"""The driver test kit's checks, over every provider label of the project.

The checks live in :mod:`dispatcher.testing.checks`, where driver authors
get them too; ``conftest.py`` gives them this suite's clouds (emulators
included) as ``api`` and ``peer``.
"""

from dispatcher.testing.conformance import *  # noqa: F403
