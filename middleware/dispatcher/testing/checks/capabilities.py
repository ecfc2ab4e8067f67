"""Every operation a cloud does not publish answers 501, never a 500."""

from dispatcher.lib.cloud_factory.drivers import OPERATIONS

#: One request per operation: (method, path under the cloud, JSON body).
REQUESTS = {
    'list_nodes': ('get', 'nodes', None),
    'create_node': (
        'post',
        'nodes',
        {'name': 'n-1', 'size': 's', 'image': 'i'},
    ),
    'reboot_node': ('post', 'nodes/any-node/action', {'action': 'reboot'}),
    'start_node': ('post', 'nodes/any-node/action', {'action': 'start'}),
    'stop_node': ('post', 'nodes/any-node/action', {'action': 'stop'}),
    'destroy_node': ('delete', 'nodes/any-node', None),
    'list_images': ('get', 'images', None),
    'list_sizes': ('get', 'sizes', None),
    'list_locations': ('get', 'locations', None),
    'list_key_pairs': ('get', 'key_pairs', None),
    'create_key_pair': ('post', 'key_pairs', {'name': 'kp-1'}),
    'import_key_pair_from_string': (
        'post',
        'key_pairs',
        {'name': 'kp-1', 'public_key': 'ssh-rsa AAAAB3NzaC1yc2E= a@b'},
    ),
    'delete_key_pair': ('delete', 'key_pairs/kp-1', None),
    'list_volumes': ('get', 'volumes', None),
    'create_volume': ('post', 'volumes', {'name': 'v-1', 'size': 1}),
    'attach_volume': ('post', 'volumes/v-1/attach', {'node_id': 'n'}),
    'detach_volume': ('post', 'volumes/v-1/detach', None),
    'destroy_volume': ('delete', 'volumes/v-1', None),
}


def test_every_operation_has_a_request_here():
    assert set(REQUESTS) == set(OPERATIONS)


def test_unpublished_operations_answer_501_naming_cloud_and_operation(api):
    for operation in OPERATIONS:
        if api.supports(operation):
            continue
        method, tail, body = REQUESTS[operation]
        if method == 'get':
            response = api.get(tail)
        elif method == 'delete':
            response = api.delete(tail)
        else:
            response = api.post(tail, body)
        api.assert_unsupported(response, operation)
