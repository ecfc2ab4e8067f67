"""An example provider driver: a lab cloud whose farm entry has its own words.

A driver maps a farm entry to what a libcloud driver's constructor wants
(``__init__``) and makes connected libcloud drivers (``connect``).  The lab
cloud of this example is served by the project's simulated cloud, a libcloud
``NodeDriver`` that needs no network, so the example runs anywhere; a driver
for a real cloud wraps its libcloud driver the same way.

Its farm entry::

    'lab': {'ENGINE': 'labcloud',
            'USER': 'team-a',
            'PASSWORD_ENV': 'LAB_API_KEY',
            'EXTRA_PARAMS': {'site': 'lab-1', 'speed': 'fast'}}

``site`` and ``speed`` are the operator's words; ``__init__`` turns them
into the libcloud driver's ``state_path``, ``boot_time`` and ``latency``.
"""

import os

from dispatcher.lib.cloud_factory.drivers import GenericDriver
from dispatcher.lib.simulator import SimulatorNodeDriver

#: What each ``speed`` of the farm entry means to the libcloud driver.
SPEEDS = {
    'fast': {'boot_time': 0.0, 'latency': 0.0},
    'slow': {'boot_time': 5.0, 'latency': 0.5},
}


class LabCloudDriver(GenericDriver):
    """A lab cloud: one simulated cloud per site.

    :param creds: the farm entry, with ``NAME`` (the cloud's name in the
        farm) and ``INSTANCE_PATH`` (the service's state folder) added.
    """

    #: The entry must name the project the machines belong to.
    required_credentials = ('USER',)
    #: EXTRA_PARAMS keys this driver reads itself (any other key must be a
    #: parameter of the libcloud driver, or the entry is refused).
    own_params = ('site', 'speed')

    def __init__(self, creds):
        super(LabCloudDriver, self).__init__(creds)
        site = str(self.extra.pop('site', 'lab'))
        speed = self.extra.pop('speed', 'fast')
        if speed not in SPEEDS:
            raise ValueError(
                'EXTRA_PARAMS speed must be one of %s, got %r'
                % (', '.join(sorted(SPEEDS)), speed)
            )
        folder = os.path.join(creds.get('INSTANCE_PATH') or '.', 'labcloud')
        self.extra.update(
            SPEEDS[speed], state_path=os.path.join(folder, site + '.sqlite')
        )

    def driver_class(self):
        """The libcloud ``NodeDriver`` class behind this cloud."""
        return SimulatorNodeDriver

    def connect(self, **kwargs):
        """A new libcloud driver: one per worker thread of the cloud.

        :param kwargs: per-connection overrides, e.g. ``timeout``.
        """
        params = dict(self.extra, **kwargs)
        return self.driver(self.user, self.password or None, **params)
