"""``cloud-list``, ``cloud-show``, ``provider-list`` and ``provider-show``:
the farm and the labels its entries may use."""

import click

from dispatcher.cli.api_client import path
from dispatcher.cli.errors import CommandFailed, describe_error
from dispatcher.cli.output import print_json, print_list, print_object
from dispatcher.cli.resources import list_command, show_object
from dispatcher.cli.session import cloud_argument, json_option, pass_session

CLOUD_COLUMNS = [
    ('Name', 'name'),
    ('Provider', 'provider'),
    ('Status', 'status'),
    ('Default', 'default'),
    ('Reason', 'reason'),
]

PROVIDER_COLUMNS = [
    ('Label', 'label'),
    ('Source', 'source'),
    ('Available', 'available'),
    ('Capabilities', 'capabilities'),
]

cloud_list = list_command(
    'cloud-list',
    '/v1/clouds',
    'clouds',
    CLOUD_COLUMNS,
    'List the clouds of the farm (never their credentials).\n\n'
    'A farm entry that is wrong is listed as unavailable, with the reason.',
    filters=('status',),
)

provider_list = list_command(
    'provider-list',
    '/v1/providers',
    'providers',
    PROVIDER_COLUMNS,
    'List every provider label the service can drive, with the operations '
    'its driver implements.',
)


@click.command('cloud-show')
@cloud_argument
@click.option(
    '--check',
    is_flag=True,
    help='Log in to the provider now to prove the credentials; '
    'exit with status 1 when the check fails.',
)
@json_option
@pass_session
def cloud_show(session, cloud, check):
    """Show one cloud of the farm: provider, status, capabilities."""
    answer = session.client.get(
        path('/v1/clouds/{cloud}', cloud=cloud),
        check='true' if check else None,
    )
    show_object(session, answer, 'cloud')
    result = answer['cloud'].get('check') or {}
    if check and not result.get('ok'):
        error = result.get('error') or {}
        raise CommandFailed(
            'the check of cloud %s failed: %s'
            % (cloud, describe_error(error.get('status'), error))
        )


FIELD_COLUMNS = [
    ('Field', 'path'),
    ('Type', 'type'),
    ('Required', 'required'),
    ('Secret', 'secret'),
    ('Default', 'default'),
    ('Help', 'help'),
]


@click.command('provider-show')
@click.argument('label')
@json_option
@pass_session
def provider_show(session, label):
    """Show provider LABEL: its capabilities and the fields of a farm entry.

    The fields are what an entry of CLOUD_FARM with this ENGINE may hold:
    USER, PASSWORD and the EXTRA_PARAMS keys, each with its type, whether it
    is required or secret, its default and a line of help.
    """
    answer = session.client.get(path('/v1/providers/{label}', label=label))
    if session.json_output:
        print_json(answer)
        return
    provider = answer['provider']
    print_object(provider, hidden=('configuration',))
    if not session.columns:  # -c picks properties of the label
        click.echo('')
        print_list(provider['configuration'], FIELD_COLUMNS)


COMMANDS = [cloud_list, cloud_show, provider_list, provider_show]
