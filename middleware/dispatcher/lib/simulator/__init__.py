"""A stateful simulated cloud exposed as an Apache Libcloud compute driver.

Self-contained (standard library, libcloud, cryptography and requests only):
nothing here imports the rest of :mod:`dispatcher`.
"""

from .driver import SimulatorNodeDriver

__all__ = ['SimulatorNodeDriver']
