"""Node ids in URLs survive restarts and are never given to another node.

libvirt's ``test:///default`` hypervisor is shared by every connection of
the process, so this test's own libvirt connection sees (and changes) what
the service sees.  A domain's run-time id changes on every start and is -1
while it is shut off; the service's id is the domain's uuid.
"""

import uuid

import pytest

from tests.backends.libvirt_hypervisor import require_libvirt

URI = 'test:///default'

_DOMAIN = """<domain type="test">
  <name>%s</name>
  <uuid>%s</uuid>
  <memory>131072</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>"""


@pytest.fixture
def hypervisor():
    """This test's own connection to the shared test hypervisor."""
    require_libvirt()
    import libvirt

    connection = libvirt.open(URI)
    yield connection
    connection.close()


@pytest.fixture
def farm_config(hypervisor):
    return {'kvm': {'ENGINE': 'libvirt', 'EXTRA_PARAMS': {'uri': URI}}}


def _define(hypervisor, name):
    domain = hypervisor.defineXML(_DOMAIN % (name, uuid.uuid4()))
    domain.create()
    return domain


def _run_id(hypervisor, node_id):
    # A fresh lookup: a domain object keeps the id it was fetched with.
    return hypervisor.lookupByUUIDString(node_id).ID()


def _act(client, node_id, action):
    response = client.post(
        '/v1/clouds/kvm/nodes/%s/action' % node_id, json={'action': action}
    )
    assert response.status_code == 202, response.get_json()


def _node(client, node_id):
    response = client.get('/v1/clouds/kvm/nodes/%s' % node_id)
    assert response.status_code == 200, response.get_json()
    return response.get_json()['node']


def test_node_id_is_the_uuid_and_survives_stop_and_start(client, hypervisor):
    domain = _define(hypervisor, 'identity-%s' % uuid.uuid4().hex[:6])
    node_id = domain.UUIDString()
    first_run_id = _run_id(hypervisor, node_id)
    node = _node(client, node_id)
    assert node['name'] == domain.name() and node['state'] == 'running'
    _act(client, node_id, 'stop')
    assert _run_id(hypervisor, node_id) == -1
    assert _node(client, node_id)['state'] == 'stopped'
    _act(client, node_id, 'start')
    assert _run_id(hypervisor, node_id) not in (-1, first_run_id)
    restarted = _node(client, node_id)
    assert restarted['state'] == 'running'
    assert restarted['id'] == node_id and restarted['name'] == domain.name()
    assert (
        client.delete('/v1/clouds/kvm/nodes/%s' % node_id).status_code == 202
    )


def test_destroyed_nodes_id_is_not_given_to_its_successor(client, hypervisor):
    name = 'successor-%s' % uuid.uuid4().hex[:6]
    old_id = _define(hypervisor, name).UUIDString()
    assert client.delete('/v1/clouds/kvm/nodes/%s' % old_id).status_code == 202
    assert client.get('/v1/clouds/kvm/nodes/%s' % old_id).status_code == 404
    assert name not in [d.name() for d in hypervisor.listAllDomains()]
    new_id = _define(hypervisor, name).UUIDString()
    # Defined at the hypervisor, behind the service's back: asked live.
    nodes = client.get(
        '/v1/clouds/kvm/nodes', query_string={'name': name, 'fresh': 'true'}
    ).get_json()['nodes']
    assert [n['id'] for n in nodes] == [new_id] and new_id != old_id
    assert client.get('/v1/clouds/kvm/nodes/%s' % old_id).status_code == 404
    assert client.delete('/v1/clouds/kvm/nodes/%s' % new_id).status_code == 202


def test_destroying_a_transient_domain_leaves_nothing(client, hypervisor):
    name = 'transient-%s' % uuid.uuid4().hex[:6]
    domain = hypervisor.createXML(_DOMAIN % (name, uuid.uuid4()))
    node_id = domain.UUIDString()
    assert _node(client, node_id)['state'] == 'running'
    assert (
        client.delete('/v1/clouds/kvm/nodes/%s' % node_id).status_code == 202
    )
    assert client.get('/v1/clouds/kvm/nodes/%s' % node_id).status_code == 404
    assert name not in [d.name() for d in hypervisor.listAllDomains()]
