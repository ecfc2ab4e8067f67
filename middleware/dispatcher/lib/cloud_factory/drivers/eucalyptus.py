"""Eucalyptus through libcloud's ``EucNodeDriver``.

``USER`` is the access key, ``PASSWORD`` the secret key; ``EXTRA_PARAMS``
takes ``endpoint`` (``http://euca.example.org:8773/services/compute``) or
``host``, ``port``, ``secure`` and ``path`` (default
``/services/Eucalyptus``), and the options of every EC2-style cloud
(:mod:`.ec2_compatible`): ``image_owner``, and ``endpoint_dialect: 'moto'``
to try it against a local moto server.

libcloud's Eucalyptus driver has no ``list_locations``, so this cloud
publishes none; a volume created without a location goes to the first
availability zone the endpoint reports.
"""

from libcloud.compute.drivers.ec2 import BaseEC2NodeDriver, EucNodeDriver

from .ec2_compatible import EC2CompatibleDriver


class EucalyptusDriver(EC2CompatibleDriver):
    """Eucalyptus: the original orchestrator's example of a mapping."""

    libcloud_class = EucNodeDriver
    unsupported = ('list_locations',)

    def __init__(self, creds):
        super(EucalyptusDriver, self).__init__(creds)
        if not self.extra.get('host'):
            raise ValueError('EXTRA_PARAMS needs endpoint (or host)')
        if self.path:
            self.extra['path'] = self.path

    def driver_class(self):
        if self.dialect == 'moto':
            from .moto_dialect import MotoEucNodeDriver

            return MotoEucNodeDriver
        return EucNodeDriver

    def connect(self, timeout=None, **kwargs):
        # libcloud's Eucalyptus driver takes no timeout: set it on its
        # connection before the first request opens the socket.
        params = dict(self.extra, **kwargs)
        driver = self.driver(self.user, self.password, **params)
        if timeout is not None:
            driver.connection.timeout = timeout
        return driver

    def zones(self, driver):
        # The EC2 call libcloud's Eucalyptus driver does not expose.
        return BaseEC2NodeDriver.list_locations(driver)
