"""An example provider plugin, written from the driver docs alone.

It implements the two methods of the contract and nothing else: its
``__init__`` reads its own farm entry without calling the base class's, it
names no libcloud class, and its ``connect`` returns a libcloud driver of
its own (the project's simulated cloud, so it runs anywhere).  No
credential is needed.
"""

import os

from dispatcher.lib.cloud_factory.drivers import GenericDriver
from dispatcher.lib.simulator import SimulatorNodeDriver


class ExampleCloudDriver(GenericDriver):
    """Serves the label ``example-cloud``."""

    def __init__(self, creds):
        params = dict(creds.get('EXTRA_PARAMS') or {})
        folder = creds.get('INSTANCE_PATH') or '.'
        self.state_path = params.get('state_path') or os.path.join(
            folder, 'example-cloud-%s.sqlite' % creds.get('NAME', 'default')
        )

    def connect(self, **kwargs):
        return SimulatorNodeDriver(
            'example', state_path=self.state_path, boot_time=0, **kwargs
        )
