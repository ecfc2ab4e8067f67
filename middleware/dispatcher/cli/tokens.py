"""``token-create``, ``token-list``, ``token-revoke`` and ``event-list``.

The token commands work on the service's database directly, so that the
operator of the service can always make or revoke a token (run them where
the service runs, with its settings: ``--settings`` or ``MW_SETTINGS``,
``MW_DATABASE_URL``, ``MW_INSTANCE_PATH``).  With ``--remote`` they ask the
service at ``--url`` instead, with an admin token (``--token`` or
``MW_TOKEN``).  ``event-list`` reads the audit trail from the service.
"""

import re

import click

from dispatcher import config
from dispatcher.cli.api_client import path
from dispatcher.cli.db import open_database
from dispatcher.cli.errors import CommandFailed
from dispatcher.cli.output import print_json, print_list, print_object, warn
from dispatcher.cli.resources import limit_option, show_list
from dispatcher.cli.session import json_option, pass_session
from dispatcher.storage.auth_models import ROLES

TOKEN_COLUMNS = [
    ('ID', 'id'),
    ('Name', 'name'),
    ('Role', 'role'),
    ('Clouds', 'clouds'),
    ('Prefix', 'prefix'),
    ('Status', 'status'),
    ('Expires', 'expires_at'),
]

EVENT_COLUMNS = [
    ('Time', 'time'),
    ('Token', 'token.name'),
    ('Method', 'method'),
    ('Path', 'path'),
    ('Action', 'action'),
    ('Cloud', 'cloud'),
    ('Resource', 'resource_id'),
    ('Status', 'status'),
]

#: The command line's name for tokens it creates (their ``created_by``).
CREATOR = 'mw token-create'

_UNITS = {'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 7 * 86400}


class Duration(click.ParamType):
    """Seconds, or a number with ``s``, ``m``, ``h``, ``d`` or ``w``."""

    name = 'duration'

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        match = re.match(r'^\s*(\d+)\s*([smhdw]?)\s*$', str(value))
        if not match or int(match.group(1)) == 0:
            self.fail(
                '%r is not a duration such as 3600, 90m, 12h or 30d' % value,
                param,
                ctx,
            )
        return int(match.group(1)) * _UNITS[match.group(2) or 's']


def _cloud_list(value):
    if value is None:
        return None
    return [name.strip() for name in value.split(',') if name.strip()]


_settings_option = click.option(
    '--settings',
    'settings_file',
    metavar='FILE',
    type=click.Path(exists=True, dir_okay=False),
    help="The service's settings file (default: the file named by "
    'MW_SETTINGS).',
)

_remote_option = click.option(
    '--remote',
    is_flag=True,
    help='Ask the service at --url (with an admin --token) instead of '
    'opening its database.',
)


class _ServiceDatabase(object):
    """The service's database, schema ready, and its settings."""

    def __init__(self, settings_file):
        self.settings_file = settings_file

    def __enter__(self):
        from dispatcher.storage import schema

        self.database = open_database(self.settings_file)
        try:
            schema.prepare(self.database)
            self.settings = config.load_settings()
        except Exception as exc:
            self.database.dispose()
            raise CommandFailed(str(exc))
        return self

    def __exit__(self, *exc_info):
        self.database.dispose()


def _service_call(function, *args, **kwargs):
    from dispatcher import errors

    try:
        return function(*args, **kwargs)
    except errors.MiddlewareError as exc:
        raise CommandFailed(exc.message)


@click.command('token-create')
@click.option(
    '--role',
    type=click.Choice(ROLES),
    required=True,
    help='reader: reads; operator: also changes nodes, key pairs, '
    'volumes, stacks and jobs; admin: also tokens and the '
    'audit trail.',
)
@click.option(
    '--clouds',
    metavar='NAMES',
    help='Comma-separated cloud names the token may see '
    '(default: every cloud).',
)
@click.option('--name', help='A name for lists and the audit trail.')
@click.option(
    '--expires-in',
    type=Duration(),
    metavar='DURATION',
    help='How long it stays valid: seconds, or 90m, 12h, 30d, 2w '
    '(default: until revoked).',
)
@_settings_option
@_remote_option
@json_option
@pass_session
def token_create(
    session, role, clouds, name, expires_in, settings_file, remote
):
    """Create an API token and print its value, shown this once only."""
    from dispatcher.policy.principal import Principal
    from dispatcher.services import tokens as service

    clouds = _cloud_list(clouds)
    if remote:
        fields = {
            'role': role,
            'clouds': clouds,
            'name': name,
            'expires_in': expires_in,
        }
        # Options not given are left out, never sent as null.
        answer = session.client.post(
            '/v1/tokens',
            {key: value for key, value in fields.items() if value is not None},
        )
    else:
        with _ServiceDatabase(settings_file) as target:
            token, value = _service_call(
                service.create_token,
                target.database,
                role,
                clouds=clouds,
                name=name,
                expires_in=expires_in,
                creator=Principal(None, CREATOR, 'admin'),
                known_clouds=list(target.settings.get('CLOUD_FARM') or {}),
            )
        answer = {'token': dict(token, value=value)}
    if session.json_output:
        print_json(answer)
    else:
        print_object(answer['token'])
        warn(
            'store the value now: the service keeps only its digest and '
            'cannot show it again'
        )


@click.command('token-list')
@click.option(
    '--status',
    type=click.Choice(['active', 'expired', 'revoked']),
    help='Only tokens in this state.',
)
@_settings_option
@_remote_option
@json_option
@pass_session
def token_list(session, status, settings_file, remote):
    """List the API tokens (never their values)."""
    from dispatcher.services import tokens as service

    if remote:
        show_list(
            session, '/v1/tokens', 'tokens', TOKEN_COLUMNS, {'status': status}
        )
        return
    with _ServiceDatabase(settings_file) as target:
        items = service.list_tokens(target.database)
    items = [t for t in items if status in (None, t['status'])]
    if session.json_output:
        print_json({'tokens': items, 'next_marker': None})
    else:
        print_list(items, TOKEN_COLUMNS)


@click.command('token-revoke')
@click.argument('token_id', metavar='ID')
@_settings_option
@_remote_option
@json_option
@pass_session
def token_revoke(session, token_id, settings_file, remote):
    """Revoke an API token: the service refuses it from now on."""
    from dispatcher.services import tokens as service

    if remote:
        session.client.delete(path('/v1/tokens/{token_id}', token_id=token_id))
        answer = None
    else:
        with _ServiceDatabase(settings_file) as target:
            answer = {
                'token': _service_call(
                    service.revoke_token, target.database, token_id
                )
            }
    if session.json_output and answer is not None:
        print_json(answer)
    elif not session.json_output:
        click.echo('mw: token %s is revoked' % token_id)


@click.command('event-list')
@click.option('--cloud', help='Only events on this cloud.')
@click.option(
    '--token', 'token_id', metavar='ID', help='Only events of this token id.'
)
@click.option(
    '--since',
    metavar='TIME',
    help='Only events at or after this ISO 8601 time.',
)
@click.option(
    '--until', metavar='TIME', help='Only events before this ISO 8601 time.'
)
@limit_option
@json_option
@pass_session
def event_list(session, cloud, token_id, since, until, limit):
    """List the audit trail, newest first: who changed what, where, and
    the answer's status (an admin token is needed)."""
    show_list(
        session,
        '/v1/events',
        'events',
        EVENT_COLUMNS,
        {'cloud': cloud, 'token': token_id, 'since': since, 'until': until},
        limit,
    )


COMMANDS = [token_create, token_list, token_revoke, event_list]
