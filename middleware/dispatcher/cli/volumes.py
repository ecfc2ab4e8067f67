"""``volume-*``: the block-storage volumes of one cloud."""

import click

from dispatcher.cli.api_client import path
from dispatcher.cli.nodes import NODE_ROUTE
from dispatcher.cli.resources import (
    find_id,
    list_command,
    report,
    show_object,
)
from dispatcher.cli.session import cloud_argument, json_option, pass_session

VOLUME_COLUMNS = [
    ('ID', 'id'),
    ('Name', 'name'),
    ('Size (GB)', 'size'),
    ('State', 'state'),
    ('Node', 'node_id'),
    ('Device', 'device'),
]

VOLUMES_ROUTE = '/v1/clouds/{cloud}/volumes'
VOLUME_ROUTE = VOLUMES_ROUTE + '/{volume}'

volume_list = list_command(
    'volume-list',
    VOLUMES_ROUTE,
    'volumes',
    VOLUME_COLUMNS,
    'List the volumes of CLOUD.',
    arguments=['cloud'],
    filters=('name', 'state'),
    fresh=True,
)


@click.command('volume-create')
@cloud_argument
@click.option('--name', required=True, help="The volume's name.")
@click.option(
    '--size',
    required=True,
    type=click.IntRange(1, 65536),
    help='Its size in GB.',
)
@click.option('--location', help='A location ID (see location-list).')
@json_option
@pass_session
def volume_create(session, cloud, name, size, location):
    """Create a volume on CLOUD."""
    body = {'name': name, 'size': size}
    if location:
        body['location'] = location
    answer = session.client.post(path(VOLUMES_ROUTE, cloud=cloud), body)
    show_object(session, answer, 'volume')


@click.command('volume-attach')
@cloud_argument
@click.argument('volume')
@click.argument('node')
@click.option('--device', help='The device name, e.g. /dev/vdb.')
@json_option
@pass_session
def volume_attach(session, cloud, volume, node, device):
    """Attach VOLUME to NODE (both IDs or names, of CLOUD)."""
    volume = find_id(session, 'volume', VOLUME_ROUTE, volume, cloud=cloud)
    node = find_id(session, 'node', NODE_ROUTE, node, cloud=cloud)
    body = {'node_id': node}
    if device:
        body['device'] = device
    answer = session.client.post(
        path(VOLUME_ROUTE + '/attach', cloud=cloud, volume=volume), body
    )
    show_object(session, answer, 'volume')


@click.command('volume-detach')
@cloud_argument
@click.argument('volume')
@json_option
@pass_session
def volume_detach(session, cloud, volume):
    """Detach VOLUME (an ID or a name) of CLOUD from its node."""
    volume = find_id(session, 'volume', VOLUME_ROUTE, volume, cloud=cloud)
    answer = session.client.post(
        path(VOLUME_ROUTE + '/detach', cloud=cloud, volume=volume)
    )
    show_object(session, answer, 'volume')


@click.command('volume-delete')
@cloud_argument
@click.argument('volume')
@json_option
@pass_session
def volume_delete(session, cloud, volume):
    """Destroy VOLUME (an ID or a name) of CLOUD (it must be detached)."""
    volume = find_id(session, 'volume', VOLUME_ROUTE, volume, cloud=cloud)
    answer = session.client.delete(
        path(VOLUME_ROUTE, cloud=cloud, volume=volume)
    )
    report(session, answer, 'volume %s deleted from %s' % (volume, cloud))


COMMANDS = [
    volume_list,
    volume_create,
    volume_attach,
    volume_detach,
    volume_delete,
]
