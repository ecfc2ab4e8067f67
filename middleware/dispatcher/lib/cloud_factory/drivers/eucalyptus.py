"""Eucalyptus through libcloud's ``EucNodeDriver``.

``USER`` is the access key, ``PASSWORD`` the secret key; ``EXTRA_PARAMS``
takes ``host``, ``port``, ``secure`` and ``path`` (default
``/services/Eucalyptus``).  libcloud's Eucalyptus driver has no
``list_locations``.
"""

from libcloud.compute.types import Provider as LibcloudProvider

from . import GenericDriver


class EucalyptusDriver(GenericDriver):
    """Eucalyptus: the original orchestrator's example of a mapping."""

    libcloud_provider = LibcloudProvider.EUCALYPTUS
    required_credentials = ('USER', 'PASSWORD')

    def __init__(self, creds):
        super(EucalyptusDriver, self).__init__(creds)
        if not self.extra.get('host'):
            raise ValueError("EXTRA_PARAMS needs host")

    def check(self, driver):
        driver.list_key_pairs()
