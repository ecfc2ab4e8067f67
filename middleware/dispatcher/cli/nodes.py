"""``node-*``: the machines of one cloud, or of every cloud at once."""

import click

from dispatcher.cli.api_client import path
from dispatcher.cli.errors import describe_error
from dispatcher.cli.output import warn
from dispatcher.cli.resources import (
    find_id,
    fresh_option,
    limit_option,
    report,
    show_command,
    show_list,
    show_object,
    wait_for,
)
from dispatcher.cli.session import (
    cloud_argument,
    complete_cloud_names,
    json_option,
    pass_session,
)

NODE_COLUMNS = [
    ('ID', 'id'),
    ('Name', 'name'),
    ('Cloud', 'cloud'),
    ('State', 'state'),
    ('Public IPs', 'public_ips'),
    ('Size', 'size'),
    ('Image', 'image'),
]

#: States after which a node will not reach ``running`` by itself.
NODE_FAILED_STATES = ('error', 'terminated', 'stopped', 'suspended', 'paused')

#: The state each action leads to, for ``--wait``.
ACTION_TARGETS = {'reboot': 'running', 'start': 'running', 'stop': 'stopped'}

NODE_ROUTE = '/v1/clouds/{cloud}/nodes/{node_id}'

wait_option = click.option(
    '--wait',
    is_flag=True,
    help='Poll the node until it reaches its target state; a status line '
    'shows progress on stderr.',
)
timeout_option = click.option(
    '--timeout',
    type=click.FloatRange(min=0),
    default=600.0,
    metavar='SECONDS',
    show_default=True,
    help='Seconds --wait waits at most.',
)


def describe_node(node):
    """``node NAME (ID) on CLOUD``, for messages."""
    return 'node %s (%s) on %s' % (
        node.get('name'),
        node.get('id'),
        node.get('cloud'),
    )


def wait_for_node(session, cloud, node, target, timeout):
    """Poll ``node`` until it is in the ``target`` state; its last answer."""
    failed = tuple(s for s in NODE_FAILED_STATES if s != target)
    return wait_for(
        session,
        path(NODE_ROUTE, cloud=cloud, node_id=node['id']),
        'node',
        describe_node,
        (target,),
        failed,
        timeout,
    )


@click.command('node-list')
@click.option(
    '--cloud',
    'clouds',
    multiple=True,
    metavar='CLOUD',
    shell_complete=complete_cloud_names,
    help='Only the nodes of this cloud; repeat for several. '
    'Every cloud of the farm when not given.',
)
@click.option(
    '--state',
    help='Only nodes in this state (running, pending, stopped, ...).',
)
@click.option('--name', help='Only nodes of this name.')
@fresh_option
@limit_option
@json_option
@pass_session
def node_list(session, clouds, state, name, fresh, limit):
    """List the nodes of one cloud, or of every cloud at once.

    Across clouds, a cloud that fails is reported on stderr and the nodes
    of the others are still listed.  The list comes from the service's
    inventory (how fresh it is goes to stderr); --fresh asks the providers.
    """
    filters = {'state': state, 'name': name, 'fresh': fresh}
    if len(clouds) == 1:
        route = path('/v1/clouds/{cloud}/nodes', cloud=clouds[0])
    else:
        route = '/v1/nodes'
        filters['cloud'] = ','.join(clouds)
    answer = show_list(session, route, 'nodes', NODE_COLUMNS, filters, limit)
    for error in answer.get('errors') or []:
        warn(
            'cloud %s: %s'
            % (error.get('cloud'), describe_error(error.get('status'), error))
        )


node_show = show_command(
    'node-show',
    NODE_ROUTE,
    'node',
    "Show one node of CLOUD by the provider's ID, or by its name.",
    arguments=['cloud', ('node_id', 'NODE')],
    by_name=True,
)


@click.command('node-create')
@cloud_argument
@click.option(
    '--name',
    required=True,
    help='The node\'s name: letters, digits, ".", "_", "-".',
)
@click.option('--size', required=True, help='A size ID (see size-list).')
@click.option('--image', required=True, help='An image ID (see image-list).')
@click.option('--location', help='A location ID (see location-list).')
@click.option('--key-name', help='A key pair to install (see keypair-list).')
@wait_option
@timeout_option
@json_option
@pass_session
def node_create(
    session, cloud, name, size, image, location, key_name, wait, timeout
):
    """Create a node on CLOUD; with --wait, until it is running.

    A node that ends in error, terminated or stopped instead, or is not
    running after --timeout seconds, exits with status 1.
    """
    body = {'name': name, 'size': size, 'image': image}
    body.update(
        (k, v)
        for k, v in (('location', location), ('key_name', key_name))
        if v
    )
    answer = session.client.post(
        path('/v1/clouds/{cloud}/nodes', cloud=cloud), body
    )
    if wait:
        answer = wait_for_node(
            session, cloud, answer['node'], 'running', timeout
        )
    show_object(session, answer, 'node')


def _action_command(action):
    @click.command('node-%s' % action)
    @cloud_argument
    @click.argument('node', metavar='NODE')
    @wait_option
    @timeout_option
    @json_option
    @pass_session
    def command(session, cloud, node, wait, timeout):
        node_id = find_id(session, 'node', NODE_ROUTE, node, cloud=cloud)
        answer = session.client.post(
            path(NODE_ROUTE + '/action', cloud=cloud, node_id=node_id),
            {'action': action},
        )
        node = answer['node']
        if wait:
            answer = dict(
                answer,
                node=wait_for_node(
                    session, cloud, node, ACTION_TARGETS[action], timeout
                )['node'],
            )
            node = answer['node']
        report(
            session,
            answer,
            '%s of %s accepted; state: %s'
            % (action, describe_node(node), node.get('state')),
        )

    command.help = (
        '%s NODE (an ID or a name) of CLOUD; with --wait, until it is %s.'
    ) % (
        action.capitalize(),
        ACTION_TARGETS[action],
    )
    return command


node_reboot = _action_command('reboot')
node_start = _action_command('start')
node_stop = _action_command('stop')


@click.command('node-delete')
@cloud_argument
@click.argument('node', metavar='NODE')
@json_option
@pass_session
def node_delete(session, cloud, node):
    """Destroy NODE (an ID or a name) of CLOUD (the provider accepts; the
    node goes)."""
    node_id = find_id(session, 'node', NODE_ROUTE, node, cloud=cloud)
    answer = session.client.delete(
        path(NODE_ROUTE, cloud=cloud, node_id=node_id)
    )
    report(
        session,
        answer,
        'destroy of %s accepted' % describe_node(answer['node']),
    )


COMMANDS = [
    node_list,
    node_show,
    node_create,
    node_reboot,
    node_start,
    node_stop,
    node_delete,
]
