"""The farm of clouds the service was started with."""

import collections
import threading

from dispatcher import errors
from dispatcher.lib.breaker import Breaker
from dispatcher.lib.cloud_init import prepare_cloud_environment

EXTENSION = 'dispatcher.farm'


def cloud_not_found(name):
    """The 404 of a cloud that is not in the farm (or not visible)."""
    return errors.NotFound(
        'cloud %r not found' % name, code='cloud_not_found', cloud=name
    )


def budget_url(config):
    """Where the clouds' call budgets are shared (``None``: not shared):
    ``CALL_BUDGET_URL``, else the broker when it is a Redis."""
    url = config.get('CALL_BUDGET_URL')
    if url:
        return str(url)
    broker = str(config.get('BROKER_URL') or '')
    if broker.startswith(('redis://', 'rediss://')):
        return broker
    return None


class Farm(object):
    """The clouds by name, in the settings' order."""

    def __init__(self, clouds):
        self.clouds = collections.OrderedDict(clouds)
        #: The cloud names of a restricted view; ``None``: the whole farm.
        self.scope = None

    @classmethod
    def from_settings(cls, config, instance_path):
        """Prepare every cloud of ``config['CLOUD_FARM']``, each with its
        circuit set to the settings' thresholds and room for
        ``REQUEST_CALLS_PER_CLOUD`` waiting requests."""
        farm = cls(
            prepare_cloud_environment(
                config.get('CLOUD_FARM') or {},
                instance_path=instance_path,
                timeout=config.get('PROVIDER_TIMEOUT', 30.0),
                max_concurrency=config.get('PROVIDER_CONCURRENCY', 8),
                calls_per_second=config.get('PROVIDER_CALLS_PER_SECOND', 0),
            )
        )
        waiting = int(config.get('REQUEST_CALLS_PER_CLOUD', 4))
        shared = budget_url(config)
        for cloud in farm:
            if shared and cloud.available and cloud.budget.calls_per_second:
                cloud.budget.share(shared)
            cloud.breaker = Breaker(
                cloud.name,
                failures=config.get('CIRCUIT_FAILURES', 5),
                open_seconds=config.get('CIRCUIT_OPEN_SECONDS', 30.0),
            )
            if waiting > 0:
                cloud.request_gate = threading.BoundedSemaphore(waiting)
        return farm

    def on_health_change(self, callback):
        """Call ``callback(cloud, old, new, last_error)`` whenever a
        cloud's circuit changes state."""
        for cloud in self:
            cloud.breaker.on_change = callback

    def get(self, name):
        """The cloud called ``name``; 404 naming it otherwise."""
        cloud = self.clouds.get(name)
        if cloud is None:
            raise cloud_not_found(name)
        return cloud

    def restricted_to(self, names):
        """The farm as seen by a caller limited to the clouds ``names``
        (``None``: every cloud); the others do not exist in it."""
        if names is None:
            return self
        view = Farm(
            (name, cloud)
            for name, cloud in self.clouds.items()
            if name in names
        )
        view.scope = frozenset(names)
        return view

    def __iter__(self):
        return iter(self.clouds.values())

    def secrets(self):
        """Every credential value of the farm (for log redaction)."""
        return {s for cloud in self for s in cloud.secrets}

    def close(self):
        for cloud in self:
            cloud.close()
