"""An example provider plugin: a simulated cloud with a fixed catalogue.

It subclasses the project's ``GenericDriver`` and overrides ``__init__``
and ``connect``, as any driver does.
"""

import os

from dispatcher.lib.cloud_factory.drivers import GenericDriver
from dispatcher.lib.simulator import SimulatorNodeDriver


class ExampleCloudDriver(GenericDriver):
    """Serves the label ``example-cloud``."""

    required_credentials = ()

    def __init__(self, creds):
        self.creds = creds
        self.user = creds.get('USER', '') or 'example'
        self.password = creds.get('PASSWORD', '')
        self.extra = dict(creds.get('EXTRA_PARAMS') or {})
        self.driver = SimulatorNodeDriver
        self.extra.setdefault(
            'state_path',
            os.path.join(
                creds.get('INSTANCE_PATH') or '.', 'example-cloud.sqlite'
            ),
        )

    def driver_class(self):
        return SimulatorNodeDriver

    def connect(self, **kwargs):
        return self.driver(
            self.user, boot_time=0, **dict(self.extra, **kwargs)
        )
