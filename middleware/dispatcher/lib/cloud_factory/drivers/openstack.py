"""OpenStack (Nova) through libcloud's OpenStack compute drivers.

``EXTRA_PARAMS`` takes libcloud's ``ex_force_*`` keys as they are, or these
shorter names, mapped here: ``auth_url``, ``auth_version``, ``tenant``
(``ex_tenant_name``), ``region`` (``ex_force_service_region``),
``service_name`` (``ex_force_service_name``) and ``service_type``.
``api_version`` picks libcloud's driver: ``'1.1'`` (the default, Nova's
v2 API with Nova's own image, key pair and volume calls) or ``'2.0'``
(Glance v2, Neutron and Cinder besides Nova).

A Keystone v2.0 cloud, such as a local mimic server (which lacks parts of
Nova: see ``settings.example.py``)::

    'os-local': {'ENGINE': 'openstack', 'USER': 'demo', 'PASSWORD': 'pw',
                 'EXTRA_PARAMS': {
                     'auth_url': 'http://127.0.0.1:8900/identity/',
                     'auth_version': '2.0_password', 'tenant': 'demo',
                     'region': 'ORD',
                     'service_name': 'cloudServersOpenStack'}}
"""

import functools

from libcloud import pricing
from libcloud.compute.drivers import openstack as libcloud_openstack

from ..configuration import Field
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

#: libcloud's OpenStack driver class for each ``api_version``.
API_VERSIONS = {
    '1.0': libcloud_openstack.OpenStack_1_0_NodeDriver,
    '1.1': libcloud_openstack.OpenStack_1_1_NodeDriver,
    '2.0': libcloud_openstack.OpenStack_2_NodeDriver,
    '2.1': libcloud_openstack.OpenStack_2_NodeDriver,
    '2.2': libcloud_openstack.OpenStack_2_NodeDriver,
}


@functools.lru_cache(maxsize=None)
def remember_missing_prices(api_name):
    """Record once that libcloud has no prices for ``api_name``.

    libcloud caches only the prices it finds: for a driver it has none
    for (every private OpenStack) it reads its 2 MB price file again for
    each size of each ``list_sizes``, seconds per call.
    """
    try:
        pricing.get_pricing('compute', api_name)
    except KeyError:
        pricing.set_pricing('compute', api_name, {})


#: The farm-entry fields of OpenStack and Rackspace clouds (libcloud's
#: ``ex_force_*`` names are taken too).
FIELDS = (
    Field('USER', required=True, help='the user name'),
    Field('PASSWORD', required=True, secret=True, help='the password'),
    Field('auth_url', help='the Keystone URL (ex_force_auth_url)'),
    Field(
        'auth_version',
        help="Keystone's version: 2.0, 2.0_password, 3.x_password...",
    ),
    Field('region', help='the region (ex_force_service_region)'),
)


def map_aliases(extra, aliases):
    """``extra`` with each short key renamed to libcloud's name."""
    mapped = {}
    for key, value in extra.items():
        mapped[aliases.get(key, key)] = value
    return mapped


class OpenStackDriver(GenericDriver):
    """OpenStack compute: ``USER``/``PASSWORD`` and a Keystone URL."""

    libcloud_provider = 'openstack'
    configuration = FIELDS + (
        Field('tenant', help='the project (ex_tenant_name)'),
        Field('tenant_name', help='the project, as libcloud names it'),
        Field('service_name', help='the compute service in the catalogue'),
        Field('service_type', help='its type in the catalogue'),
        Field(
            'api_version',
            default='1.1',
            help="libcloud's driver: '1.1' (Nova) or '2.0' "
            '(Glance, Neutron and Cinder too)',
        ),
    )
    required_params = ('ex_force_auth_url',)

    def __init__(self, creds):
        version = str(
            (creds.get('EXTRA_PARAMS') or {}).get('api_version', '1.1')
        )
        if version not in API_VERSIONS:
            raise ValueError(
                'EXTRA_PARAMS api_version must be one of %s'
                % ', '.join(sorted(API_VERSIONS))
            )
        self.api_version = version
        super(OpenStackDriver, self).__init__(creds)
        self.extra = map_aliases(self.extra, _ALIASES)
        self.extra['api_version'] = version
        for key in self.required_params:
            if not self.extra.get(key):
                raise ValueError(
                    'EXTRA_PARAMS needs %s (or its short name)' % key
                )

    def driver_class(self):
        return API_VERSIONS[self.api_version]

    def connect(self, **kwargs):
        driver = super(OpenStackDriver, self).connect(**kwargs)
        remember_missing_prices(driver.api_name)
        return driver

    def check(self, driver, cloud):
        driver.list_sizes()
