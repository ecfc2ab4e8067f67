"""moto's dialect of the EC2 API, bridged to libcloud's EC2 drivers.

moto (``moto_server``) emulates EC2 well enough to try the service on one's
own machine, but it answers in a slightly different dialect than the real
API, and libcloud's drivers read every difference as an empty answer or a
crash.  A farm entry opts in with ``EXTRA_PARAMS: {'endpoint_dialect':
'moto', 'endpoint': 'http://127.0.0.1:5000'}``; the drivers below are then
libcloud's own, with a connection that bridges these differences and
nothing else:

* moto decides which service a request is for from the SigV4 credential
  scope only, so requests are signed with SigV4 (Eucalyptus included, at
  path ``/``);
* moto's XML namespace lacks the trailing slash libcloud looks for, on
  answers and error bodies alike (without the fix every list is empty and
  every error message blank);
* moto omits ``<return>true</return>`` on operations that return nothing
  (``RebootInstances``, ``CreateTags``...);
* libcloud numbers ``ResourceId.N`` and ``Tag.N`` from 0, moto from 1;
* ``DetachVolume`` without ``InstanceId`` crashes moto, so the volume's
  instance is looked up first;
* Eucalyptus's ``DescribeInstanceTypes`` is answered in EC2's format, so
  the Eucalyptus classic instance types are asked for and their answer put
  in Eucalyptus's.
"""

import re
from xml.etree import ElementTree

from libcloud.compute.drivers.ec2 import (
    NAMESPACE,
    EC2Connection,
    EC2NodeDriver,
    EC2Response,
    EucConnection,
    EucNodeDriver,
)

#: moto's EC2 namespace: libcloud's without the trailing slash.
_MOTO_NAMESPACE = re.compile(
    r'xmlns="http://ec2\.amazonaws\.com/doc/[^"]*?/?"'
)
_ANY_NAMESPACE = re.compile(r'\sxmlns="[^"]*"')
_ZERO_BASED = re.compile(r'^(ResourceId|Tag)\.(\d+)(\..+)?$')

#: Eucalyptus's classic instance types, listed by ``list_sizes``.
EUCALYPTUS_TYPES = (
    'm1.small',
    'c1.medium',
    'm1.large',
    'm1.xlarge',
    'c1.xlarge',
)


def renumber(params):
    """``params`` with 0-based ``ResourceId.N``/``Tag.N`` made 1-based."""
    if 'ResourceId.0' not in params and 'Tag.0.Key' not in params:
        return params
    renumbered = {}
    for key, value in params.items():
        match = _ZERO_BASED.match(key)
        if match:
            key = '%s.%d%s' % (
                match.group(1),
                int(match.group(2)) + 1,
                match.group(3) or '',
            )
        renumbered[key] = value
    return renumbered


def _local(tag):
    return tag.rsplit('}', 1)[-1]


def _text(element, path):
    """Text at ``path`` (local names separated by ``/``), namespaces aside."""
    for name in path.split('/'):
        if element is None:
            return None
        element = next(
            (child for child in element if _local(child.tag) == name), None
        )
    return None if element is None else element.text


class MotoResponse(EC2Response):
    """An answer of moto, read as libcloud reads the real API's."""

    def parse_body(self):
        self.body = _MOTO_NAMESPACE.sub('xmlns="%s"' % NAMESPACE, self.body)
        root = super(MotoResponse, self).parse_body()
        if not isinstance(root, ElementTree.Element):
            return root
        if _local(root.tag) == 'DescribeInstanceTypesResponse':
            namespace = getattr(self.connection.driver, 'EUCA_NAMESPACE', None)
            if namespace:
                return eucalyptus_instance_types(root, namespace)
        payload = [c for c in root if _local(c.tag) != 'requestId']
        if not payload:
            # A void operation's success: the real API says so explicitly.
            flag = ElementTree.SubElement(root, '{%s}return' % NAMESPACE)
            flag.text = 'true'
        return root

    def parse_error(self):
        # libcloud finds ``Errors/Error`` only outside any namespace.
        self.body = _ANY_NAMESPACE.sub('', self.body, count=1)
        return super(MotoResponse, self).parse_error()


def eucalyptus_instance_types(root, namespace):
    """EC2's ``DescribeInstanceTypes`` answer in Eucalyptus's format."""
    answer = ElementTree.Element(
        '{%s}DescribeInstanceTypesResponse' % namespace
    )
    details = ElementTree.SubElement(
        answer, '{%s}instanceTypeDetails' % namespace
    )
    type_set = next(
        (c for c in root if _local(c.tag) == 'instanceTypeSet'), ()
    )
    for item in type_set:
        entry = ElementTree.SubElement(details, '{%s}item' % namespace)
        fields = {
            'name': _text(item, 'instanceType'),
            'cpu': _text(item, 'vCpuInfo/defaultVCpus') or '1',
            'memory': _text(item, 'memoryInfo/sizeInMiB') or '0',
            'disk': _text(item, 'instanceStorageInfo/totalSizeInGB') or '0',
        }
        for name, value in fields.items():
            field = ElementTree.SubElement(entry, '{%s}%s' % (namespace, name))
            field.text = value
    return answer


class _MotoRequests(object):
    """What moto's connections change in the requests they send."""

    responseCls = MotoResponse

    def request(self, action, params=None, *args, **kwargs):
        params = renumber(dict(params or {}))
        if (
            params.get('Action') == 'DetachVolume'
            and 'InstanceId' not in params
        ):
            instance = self._attached_instance(action, params['VolumeId'])
            if instance:
                params['InstanceId'] = instance
        if (
            params.get('Action') == 'DescribeInstanceTypes'
            and getattr(self.driver, 'EUCA_NAMESPACE', None)
            and not any(key.startswith('InstanceType.') for key in params)
        ):
            for number, name in enumerate(EUCALYPTUS_TYPES, 1):
                params['InstanceType.%d' % number] = name
        return super(_MotoRequests, self).request(
            action, params, *args, **kwargs
        )

    def _attached_instance(self, action, volume_id):
        answer = super(_MotoRequests, self).request(
            action, {'Action': 'DescribeVolumes', 'VolumeId.1': volume_id}
        )
        return _text(
            answer.object, 'volumeSet/item/attachmentSet/item/instanceId'
        )


class MotoEC2Connection(_MotoRequests, EC2Connection):
    """libcloud's EC2 connection, speaking moto's dialect."""


class MotoEucConnection(_MotoRequests, EucConnection):
    """libcloud's Eucalyptus connection, speaking moto's dialect."""


class MotoEC2NodeDriver(EC2NodeDriver):
    """libcloud's EC2 driver against moto (SigV4 unless told otherwise)."""

    connectionCls = MotoEC2Connection

    def __init__(self, key, secret=None, signature_version='4', **kwargs):
        super(MotoEC2NodeDriver, self).__init__(
            key, secret, signature_version=signature_version, **kwargs
        )


class MotoEucNodeDriver(EucNodeDriver):
    """libcloud's Eucalyptus driver against moto: SigV4 at path ``/``."""

    connectionCls = MotoEucConnection
    signature_version = '4'

    def __init__(
        self,
        key,
        secret=None,
        secure=True,
        host=None,
        path='/',
        port=None,
        **kwargs,
    ):
        super(MotoEucNodeDriver, self).__init__(
            key,
            secret,
            secure=secure,
            host=host,
            path=path,
            port=port,
            **kwargs,
        )
