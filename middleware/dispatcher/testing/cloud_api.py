"""The v1 API of one cloud, as the conformance tests use it.

Everything goes through the Flask test client, so each request runs the
whole service: blueprint, service, driver wrapper, libcloud and the
provider's (emulated) HTTP API.
"""

import itertools
import time
import uuid

import pytest

_names = itertools.count(1)

#: How often a test looks again for a node to reach a state.
POLLS = 100


def unique_name(prefix='conf'):
    """A node, key pair or volume name no earlier test used."""
    return '%s-%d-%s' % (prefix, next(_names), uuid.uuid4().hex[:6])


class CloudAPI(object):
    """Requests to ``/v1/clouds/<cloud>/...`` with the answers checked."""

    def __init__(self, client, backend):
        self.client = client
        self.backend = backend
        self.cloud = backend.cloud
        self._capabilities = None

    def path(self, tail=''):
        return (
            '/v1/clouds/%s/%s' % (self.cloud, tail)
            if tail
            else '/v1/clouds/%s' % self.cloud
        )

    def get(self, tail, **params):
        return self.client.get(self.path(tail), query_string=params)

    def post(self, tail, body=None):
        return self.client.post(self.path(tail), json=body or {})

    def delete(self, tail):
        return self.client.delete(self.path(tail))

    # -- capabilities ---------------------------------------------------

    @property
    def capabilities(self):
        """The operations the cloud publishes (``GET /v1/clouds/<c>``)."""
        if self._capabilities is None:
            response = self.client.get(self.path())
            assert response.status_code == 200, response.get_json()
            self._capabilities = response.get_json()['cloud']['capabilities']
        return self._capabilities

    def supports(self, operation):
        return operation in self.capabilities

    def assert_unsupported(self, response, operation):
        """``response`` is the 501 naming this cloud and ``operation``."""
        assert response.status_code == 501, (operation, response.get_json())
        error = response.get_json()['error']
        assert error['code'] == 'not_supported'
        assert error['cloud'] == self.cloud
        assert self.cloud in error['message']
        assert operation in error['message']

    def require(self, operation, request):
        """Go on if the cloud publishes ``operation``; else check the 501
        that ``request()`` gets and skip, naming the capability."""
        if self.supports(operation):
            return
        self.assert_unsupported(request(), operation)
        pytest.skip(
            '%s does not publish %s (its 501 was checked)'
            % (self.cloud, operation)
        )

    # -- lists ----------------------------------------------------------

    def items(self, collection, **params):
        """One page of ``collection`` (checked 200) and the next marker."""
        response = self.get(collection, **params)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        return body[collection], body['next_marker']

    def all(self, collection, **params):
        return self.items(collection, limit=1000, **params)[0]

    # -- nodes ----------------------------------------------------------

    def catalogue_id(self, kind, preferred):
        if preferred is not None:
            return preferred
        return self.items(kind, limit=1)[0][0]['id']

    def create_node(self, name=None):
        """Create a node (201 checked); returns it as the answer shows it."""
        body = {
            'name': name or unique_name(),
            'image': self.catalogue_id('images', self.backend.image),
            'size': self.catalogue_id('sizes', self.backend.size),
        }
        response = self.post('nodes', body)
        assert response.status_code == 201, response.get_json()
        node = response.get_json()['node']
        assert response.headers['Location'].endswith(
            '/v1/clouds/%s/nodes/%s' % (self.cloud, node['id'])
        )
        return node

    def node(self, node_id):
        """The node (checked 200)."""
        response = self.get('nodes/%s' % node_id)
        assert response.status_code == 200, response.get_json()
        return response.get_json()['node']

    def act(self, node_id, action):
        return self.post('nodes/%s/action' % node_id, {'action': action})

    def wait_for(self, node_id, *states):
        """Poll the node until its state is one of ``states``."""
        node = None
        for _ in range(POLLS):
            node = self.node(node_id)
            if node['state'] in states:
                return node
            self.backend.settle()
            time.sleep(0.05)
        raise AssertionError(
            'node %s stayed %s, never %s'
            % (node_id, node['state'], ' or '.join(states))
        )

    def running_nodes(self, count):
        """At least ``count`` running nodes, created when the cloud can."""
        running = [n for n in self.all('nodes') if n['state'] == 'running']
        while len(running) < count and self.supports('create_node'):
            created = self.create_node()
            running.append(self.wait_for(created['id'], 'running'))
        if len(running) < count:
            pytest.skip(
                '%s has %d running nodes and cannot create more'
                % (self.cloud, len(running))
            )
        return running[:count]


def walk(
    client, path, collection, limit, key=lambda item: item['id'], **params
):
    """Every item of a paginated list, following ``next_marker``.

    Checks that each page holds at most ``limit`` items and that no item
    comes twice.
    """
    seen, marker = [], None
    for _ in range(1000):
        query = dict(params, limit=limit)
        if marker is not None:
            query['marker'] = marker
        response = client.get(path, query_string=query)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        page = body[collection]
        assert len(page) <= limit
        keys = [key(item) for item in page]
        assert not set(keys) & set(seen), 'an item came twice'
        seen.extend(keys)
        marker = body['next_marker']
        if marker is None:
            return seen
        assert page, 'an empty page with a next marker'
        assert marker == keys[-1]
    raise AssertionError('pagination of %s never ended' % path)
