"""Amazon EC2 (and EC2-compatible endpoints) through ``EC2NodeDriver``.

``USER`` is the access key id, ``PASSWORD`` the secret key.  ``EXTRA_PARAMS``
takes ``region`` (default ``us-east-1``), ``signature_version``, and the
options of every EC2-style cloud (:mod:`.ec2_compatible`): ``endpoint`` (or
``host``, ``port``, ``secure``) for an EC2-compatible endpoint,
``image_owner``, and ``endpoint_dialect: 'moto'`` to try the service
against a local moto server::

    'aws-local': {'ENGINE': 'ec2', 'USER': 'testing', 'PASSWORD': 'testing',
                  'EXTRA_PARAMS': {'endpoint': 'http://127.0.0.1:5000',
                                   'endpoint_dialect': 'moto'}}
"""

from libcloud.compute.drivers.ec2 import EC2NodeDriver

from ..configuration import Field
from .ec2_compatible import FIELDS, EC2CompatibleDriver


class EC2Driver(EC2CompatibleDriver):
    """EC2: access key, secret key and a region."""

    libcloud_class = EC2NodeDriver
    configuration = FIELDS + (
        Field('region', default='us-east-1', help='the AWS region'),
    )

    def driver_class(self):
        if self.dialect == 'moto':
            from .moto_dialect import MotoEC2NodeDriver

            return MotoEC2NodeDriver
        return EC2NodeDriver
