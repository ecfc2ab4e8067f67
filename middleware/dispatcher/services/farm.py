"""The farm of clouds the service was started with."""

import collections

from dispatcher import errors
from dispatcher.lib.cloud_init import prepare_cloud_environment

EXTENSION = 'dispatcher.farm'


class Farm(object):
    """The clouds by name, in the settings' order."""

    def __init__(self, clouds):
        self.clouds = collections.OrderedDict(clouds)

    @classmethod
    def from_settings(cls, config, instance_path):
        """Prepare every cloud of ``config['CLOUD_FARM']``."""
        return cls(prepare_cloud_environment(
            config.get('CLOUD_FARM') or {}, instance_path=instance_path,
            timeout=config.get('PROVIDER_TIMEOUT', 30.0),
            max_concurrency=config.get('PROVIDER_CONCURRENCY', 8)))

    def get(self, name):
        """The cloud called ``name``; 404 naming it otherwise."""
        cloud = self.clouds.get(name)
        if cloud is None:
            raise errors.NotFound("cloud %r not found" % name,
                                  code='cloud_not_found', cloud=name)
        return cloud

    def __iter__(self):
        return iter(self.clouds.values())

    def secrets(self):
        """Every credential value of the farm (for log redaction)."""
        return {s for cloud in self for s in cloud.secrets}

    def close(self):
        for cloud in self:
            cloud.close()
