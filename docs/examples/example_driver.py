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
The service checks the entry against ``configuration`` and fills in its
defaults before ``__init__`` sees it.
"""

import os

from dispatcher.lib.cloud_factory.configuration import Field
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

    #: The libcloud class behind the cloud: it tells the capabilities.
    libcloud_class = SimulatorNodeDriver
    #: The farm entry's fields, checked when the service starts and
    #: published at ``GET /v1/providers/labcloud``.
    configuration = (
        Field('USER', required=True, help='the team the machines are for'),
        Field('PASSWORD', secret=True, help='the lab API key'),
        Field('site', default='lab', help='which lab: one cloud per site'),
        Field('speed', default='fast', help='fast or slow machines'),
    )
    #: Only the fields above: no parameter of the libcloud class besides.
    libcloud_parameters = False
    #: The entry the driver test kit uses (``--mw-entry-points``).
    sample_entry = {'USER': 'kit', 'EXTRA_PARAMS': {'site': 'kit'}}

    def __init__(self, creds):
        self.user = creds['USER']
        self.password = creds.get('PASSWORD')
        extra = creds['EXTRA_PARAMS']
        if extra['speed'] not in SPEEDS:
            raise ValueError(
                'EXTRA_PARAMS speed must be one of %s, got %r'
                % (', '.join(sorted(SPEEDS)), extra['speed'])
            )
        folder = os.path.join(creds.get('INSTANCE_PATH') or '.', 'labcloud')
        self.params = dict(
            SPEEDS[extra['speed']],
            state_path=os.path.join(folder, extra['site'] + '.sqlite'),
        )

    def connect(self, **kwargs):
        """A new libcloud driver: one per worker thread of the cloud.

        :param kwargs: per-connection settings, e.g. ``timeout``.
        """
        return SimulatorNodeDriver(
            self.user, self.password or None, **dict(self.params, **kwargs)
        )
