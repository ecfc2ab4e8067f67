"""OpenStack (Nova) through libcloud's ``OpenStackNodeDriver``.

``EXTRA_PARAMS`` takes libcloud's ``ex_force_*`` keys as they are, or these
shorter names, mapped here: ``auth_url``, ``auth_version``, ``tenant``
(``ex_tenant_name``), ``region`` (``ex_force_service_region``),
``service_name`` (``ex_force_service_name``) and ``service_type``.
"""

from libcloud.compute.types import Provider as LibcloudProvider

from . import GenericDriver

_ALIASES = {
    'auth_url': 'ex_force_auth_url',
    'auth_version': 'ex_force_auth_version',
    'tenant': 'ex_tenant_name',
    'tenant_name': 'ex_tenant_name',
    'region': 'ex_force_service_region',
    'service_name': 'ex_force_service_name',
    'service_type': 'ex_force_service_type',
}


def map_aliases(extra, aliases):
    """``extra`` with each short key renamed to libcloud's name."""
    mapped = {}
    for key, value in extra.items():
        mapped[aliases.get(key, key)] = value
    return mapped


class OpenStackDriver(GenericDriver):
    """OpenStack compute: ``USER``/``PASSWORD`` and a Keystone URL."""

    libcloud_provider = LibcloudProvider.OPENSTACK

    required_credentials = ('USER', 'PASSWORD')
    required_params = ('ex_force_auth_url',)

    def __init__(self, creds):
        super(OpenStackDriver, self).__init__(creds)
        self.extra = map_aliases(self.extra, _ALIASES)
        for key in self.required_params:
            if not self.extra.get(key):
                raise ValueError(
                    "EXTRA_PARAMS needs %s (or its short name)" % key)

    def check(self, driver):
        driver.list_sizes()
