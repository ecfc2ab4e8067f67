"""A plugin whose label clashes with the built-in ``ec2``."""

from dispatcher.lib.cloud_factory.drivers import GenericDriver


class ClashingDriver(GenericDriver):
    """Never used: its label is taken."""
