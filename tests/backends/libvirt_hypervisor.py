"""libvirt's built-in test hypervisor: no daemon, domains from an XML file.

``test:///<file>`` starts a private hypervisor per connection with the
domains the file defines, all running; the farm entry's cloud then uses one
connection, so each app built on a fresh file starts from that state.
"""

import importlib.util

from tests.backends.emulators import unavailable

#: The domains of the test hypervisor: name -> uuid.
DOMAINS = (
    ('lv-alpha', '6a1c3c2e-0000-4000-8000-000000000001'),
    ('lv-beta', '6a1c3c2e-0000-4000-8000-000000000002'),
    ('lv-gamma', '6a1c3c2e-0000-4000-8000-000000000003'),
)

_DOMAIN = """  <domain type="test">
    <name>%s</name>
    <uuid>%s</uuid>
    <memory>262144</memory>
    <vcpu>1</vcpu>
    <os><type>hvm</type></os>
  </domain>
"""


def require_libvirt():
    """Skip (or fail in CI) unless libvirt-python is installed."""
    if importlib.util.find_spec('libvirt') is None:
        unavailable(
            'libvirt',
            'libvirt-python is not installed (apt-get '
            'install libvirt-dev pkg-config; pip install '
            'libvirt-python)',
        )


def hypervisor_uri(folder):
    """Write the test hypervisor's definition in ``folder``; its URI."""
    path = folder / 'libvirt-test-node.xml'
    path.write_text(
        '<node>\n%s</node>\n' % ''.join(_DOMAIN % domain for domain in DOMAINS)
    )
    return 'test://%s' % path
