"""Amazon EC2 (and EC2-compatible endpoints) through ``EC2NodeDriver``.

``USER`` is the access key id, ``PASSWORD`` the secret key.  ``EXTRA_PARAMS``
takes ``region`` (default ``us-east-1``) and, for an EC2-compatible endpoint,
``host``, ``port``, ``secure`` and ``signature_version``.
"""

from libcloud.compute.types import Provider as LibcloudProvider

from . import GenericDriver


class EC2Driver(GenericDriver):
    """EC2: access key, secret key and a region."""

    libcloud_provider = LibcloudProvider.EC2
    required_credentials = ('USER', 'PASSWORD')

    def __init__(self, creds):
        super(EC2Driver, self).__init__(creds)
        self.extra.setdefault('region', 'us-east-1')

    def check(self, driver):
        driver.list_key_pairs()
