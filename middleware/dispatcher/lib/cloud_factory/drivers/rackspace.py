"""Rackspace cloud servers through libcloud's ``RackspaceNodeDriver``.

``USER`` is the user name, ``PASSWORD`` the API key; ``EXTRA_PARAMS`` takes
``region`` (default ``ord``) and, for a private endpoint, ``auth_url`` and
``auth_version``, e.g. a local mimic server::

    'rax-local': {'ENGINE': 'rackspace', 'USER': 'demo', 'PASSWORD': 'key',
                  'EXTRA_PARAMS': {
                      'auth_url': 'http://127.0.0.1:8900/identity/',
                      'auth_version': '2.0', 'region': 'ord'}}
"""

from libcloud.compute.types import Provider as LibcloudProvider

from ..configuration import Field
from . import GenericDriver
from .openstack import FIELDS, map_aliases

_ALIASES = {
    'auth_url': 'ex_force_auth_url',
    'auth_version': 'ex_force_auth_version',
}


class RackspaceDriver(GenericDriver):
    """Rackspace: user name, API key and a region."""

    libcloud_provider = LibcloudProvider.RACKSPACE
    configuration = tuple(
        Field('region', default='ord', help='the Rackspace region')
        if field.name == 'region'
        else field
        for field in FIELDS
    )

    def __init__(self, creds):
        super(RackspaceDriver, self).__init__(creds)
        self.extra = map_aliases(self.extra, _ALIASES)

    def check(self, driver, cloud):
        driver.list_sizes()
