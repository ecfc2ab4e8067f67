"""What the EC2 and Eucalyptus drivers share: endpoints, dialects, defaults.

Both speak the EC2 query API, so their farm entries take the same
``EXTRA_PARAMS`` besides libcloud's own:

``endpoint``
    The URL of the API (``https://ec2.example.org:8773/services/Compute``,
    ``http://127.0.0.1:5000``), instead of ``host``, ``port``, ``secure``
    and ``path``.
``endpoint_dialect``
    ``'moto'`` to talk to a moto server (:mod:`.moto_dialect`): the thin
    adapter for moto's differences from the real API.  Without it nothing
    changes.
``image_owner``
    List only the images of this owner (``self``, ``amazon``, an account
    id).  A public EC2 region has far too many images to list them all.

Instance states libcloud cannot name (``stopping``, ``shutting-down``, and
``stopped`` on Eucalyptus) are named here.  A volume attached without a
``device`` gets the first free ``/dev/sdf`` to ``/dev/sdp`` of its node,
and a volume created without a ``location`` goes to the region's first
availability zone, as the EC2 API requires both.
"""

from urllib.parse import urlsplit

from dispatcher import errors
from dispatcher.lib.cloud_factory import values

from ..configuration import Field
from . import GenericDriver

#: Values ``endpoint_dialect`` may take.
DIALECTS = ('moto',)

#: The farm-entry fields of every EC2-style cloud.
FIELDS = (
    Field('USER', required=True, help='the access key id'),
    Field('PASSWORD', required=True, secret=True, help='the secret key'),
    Field(
        'endpoint',
        help='URL of the API, instead of host, port, secure and path',
    ),
    Field(
        'endpoint_dialect',
        help="'moto' to talk to a local moto server",
    ),
    Field(
        'image_owner',
        help='list only the images of this owner (self, amazon, an id)',
    ),
    Field('path', help='path of the API on its host'),
)

#: EC2 instance states that libcloud's maps leave ``unknown`` (its
#: Eucalyptus driver knows no ``stopped`` either).
INSTANCE_STATES = {
    'stopping': 'stopping',
    'stopped': 'stopped',
    'shutting-down': 'stopping',
}

#: Devices tried in order for a volume attached without one.
DEVICES = tuple('/dev/sd%s' % letter for letter in 'fghijklmnop')


def parse_endpoint(url):
    """``host``, ``port``, ``secure`` and ``path`` of an endpoint URL.

    :raises ValueError: naming ``endpoint`` when the URL is not usable.
    """
    parts = urlsplit(str(url))
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ValueError(
            'EXTRA_PARAMS endpoint must be an http:// or '
            'https:// URL with a host, not %r' % url
        )
    try:
        port = parts.port
    except ValueError:
        raise ValueError('EXTRA_PARAMS endpoint has a bad port: %r' % url)
    secure = parts.scheme == 'https'
    return {
        'host': parts.hostname,
        'port': port or (443 if secure else 80),
        'secure': secure,
        'path': parts.path.rstrip('/') or '/',
    }


class EC2CompatibleDriver(GenericDriver):
    """Base of the drivers of EC2-style APIs (access key and secret key)."""

    configuration = FIELDS
    key_pair_parameter = 'ex_keyname'

    def __init__(self, creds):
        extra = dict(creds.get('EXTRA_PARAMS') or {})
        self.dialect = extra.pop('endpoint_dialect', None)
        if self.dialect is not None and self.dialect not in DIALECTS:
            raise ValueError(
                'EXTRA_PARAMS endpoint_dialect must be one of: '
                '%s (not %r)' % (', '.join(DIALECTS), self.dialect)
            )
        self.image_owner = extra.pop('image_owner', None)
        self.path = extra.pop('path', None)
        if extra.get('endpoint'):
            endpoint = parse_endpoint(extra.pop('endpoint'))
            endpoint_path = endpoint.pop('path')
            self.path = self.path or endpoint_path
            extra.update(endpoint)
        extra.pop('endpoint', None)
        super(EC2CompatibleDriver, self).__init__(
            dict(creds, EXTRA_PARAMS=extra)
        )

    def connect(self, **kwargs):
        driver = super(EC2CompatibleDriver, self).connect(**kwargs)
        if self.path and self.path != '/':
            driver.path = self.path
        return driver

    def check(self, driver, cloud):
        driver.list_key_pairs()

    def to_node(self, node, cloud):
        body = super(EC2CompatibleDriver, self).to_node(node, cloud)
        state = INSTANCE_STATES.get(node.extra.get('status'))
        if body.state == values.NodeState.UNKNOWN and state:
            body.state = values.NodeState(state)
            body.actions = values.node_actions(body.state, self.operations())
        return body

    # -- catalogue ------------------------------------------------------

    def list_images(self, driver, cloud):
        images = driver.list_images(ex_owner=self.image_owner)
        return [values.to_image(image, cloud) for image in images]

    # -- volumes --------------------------------------------------------

    def zones(self, driver):
        """The availability zones of the region, as libcloud locations."""
        return driver.list_locations()

    def create_volume(self, driver, cloud, spec):
        if spec.location is not None:
            zone = self._find(self.zones(driver), spec.location, 'location')
        else:
            zones = self.zones(driver)
            if not zones:
                raise errors.BadRequest(
                    'cloud %r has no availability zone for a volume' % cloud,
                    field='location',
                    code='invalid_field',
                )
            zone = zones[0]
        volume = driver.create_volume(spec.size, spec.name, location=zone)
        return values.to_volume(volume, cloud)

    def attach_volume(self, driver, cloud, volume_id, node_id, device=None):
        if device is None:
            taken = {
                v.extra.get('device')
                for v in driver.list_volumes()
                if str(v.extra.get('instance_id')) == str(node_id)
            }
            free = [name for name in DEVICES if name not in taken]
            if not free:
                raise errors.Conflict(
                    'node %r has no free device for another volume' % node_id,
                    code='provider_conflict',
                    cloud=cloud,
                )
            device = free[0]
        return super(EC2CompatibleDriver, self).attach_volume(
            driver, cloud, volume_id, node_id, device=device
        )
