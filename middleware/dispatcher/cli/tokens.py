"""``token-create``, ``token-list``, ``token-revoke``, ``token-bootstrap``
and ``event-list``.

Like every other command, the token commands ask the service at ``MW_URL``
with an admin token (``MW_TOKEN``).  ``token-bootstrap`` alone works on the
service's own database, where the service runs: it makes the first token,
or another admin token when that one is lost, and never creates a database.
"""

import re

import click

from dispatcher.cli.api_client import path
from dispatcher.cli.db import open_existing_database, settings_option
from dispatcher.cli.errors import CommandFailed
from dispatcher.cli.output import print_json, print_object, warn
from dispatcher.cli.resources import find_id, limit_option, show_list
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
CREATOR = 'mw token-bootstrap'

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


def _remote_accepted(command):
    # Token commands always talk to the service now; ``--remote`` stays
    # accepted so that scripts written for older versions keep working.
    return click.option(
        '--remote',
        is_flag=True,
        hidden=True,
        help='Accepted for older scripts: token commands always ask the '
        'service.',
    )(command)


def _service_call(function, *args, **kwargs):
    from dispatcher import errors

    try:
        return function(*args, **kwargs)
    except errors.MiddlewareError as exc:
        raise CommandFailed(exc.message)


def _given(**fields):
    """The request fields that were given: never a null."""
    return {key: value for key, value in fields.items() if value is not None}


def _show_new_token(session, answer):
    if session.json_output:
        print_json(answer)
    else:
        print_object(answer['token'])
        warn(
            'store the value now: the service keeps only its digest and '
            'cannot show it again'
        )


_role_option = click.option(
    '--role',
    type=click.Choice(ROLES),
    required=True,
    help='reader: reads; operator: also changes nodes, key pairs, '
    'volumes, stacks and jobs; admin: also tokens and the '
    'audit trail.',
)


@click.command('token-create')
@_role_option
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
@_remote_accepted
@json_option
@pass_session
def token_create(session, role, clouds, name, expires_in, remote):
    """Create an API token and print its value, shown this once only.

    Asks the service at MW_URL with an admin token (MW_TOKEN).  The very
    first token, or a new one when the admin token is lost, is made where
    the service runs: mw token-bootstrap.
    """
    answer = session.client.post(
        '/v1/tokens',
        _given(
            role=role,
            clouds=_cloud_list(clouds),
            name=name,
            expires_in=expires_in,
        ),
    )
    _show_new_token(session, answer)


@click.command('token-list')
@click.option(
    '--status',
    type=click.Choice(['active', 'expired', 'revoked']),
    help='Only tokens in this state.',
)
@limit_option
@_remote_accepted
@json_option
@pass_session
def token_list(session, status, limit, remote):
    """List the API tokens (never their values); an admin token is needed."""
    show_list(
        session,
        '/v1/tokens',
        'tokens',
        TOKEN_COLUMNS,
        {'status': status},
        limit,
    )


@click.command('token-revoke')
@click.argument('token', metavar='TOKEN')
@_remote_accepted
@json_option
@pass_session
def token_revoke(session, token, remote):
    """Revoke an API token (its ID or name): the service refuses it from
    now on."""
    token_id = find_id(session, 'token', '/v1/tokens/{token_id}', token)
    session.client.delete(path('/v1/tokens/{token_id}', token_id=token_id))
    if not session.json_output:
        click.echo('mw: token %s is revoked' % token_id)


@click.command('token-bootstrap')
@click.option(
    '--lost',
    is_flag=True,
    help='Make another admin token although tokens exist (the admin '
    'token was lost).',
)
@click.option(
    '--name',
    default='bootstrap',
    show_default=True,
    help='A name for lists and the audit trail.',
)
@settings_option
@json_option
@pass_session
def token_bootstrap(session, lost, name, settings_file):
    """Make an admin token on the service's own database.

    Run it where the service runs, with its settings (--settings or
    MW_SETTINGS, MW_DATABASE_URL, MW_INSTANCE_PATH): it does not talk to the
    service.  It makes the first token when none exists, or, with --lost,
    another admin token.  It refuses a database that does not exist or has
    no schema, rather than making a new one: start the service once (or run
    mw db upgrade) first.
    """
    from dispatcher.policy.principal import Principal
    from dispatcher.services import tokens as service

    database = open_existing_database(settings_file)
    try:
        if not lost and service.list_tokens(database):
            raise CommandFailed(
                'the service already has tokens: make more with mw '
                'token-create and an admin token, or pass --lost if the '
                'admin token is lost'
            )
        token, value = _service_call(
            service.create_token,
            database,
            'admin',
            name=name,
            creator=Principal(None, CREATOR, 'admin'),
        )
    finally:
        database.dispose()
    _show_new_token(session, {'token': dict(token, value=value)})


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


COMMANDS = [
    token_create,
    token_list,
    token_revoke,
    token_bootstrap,
    event_list,
]
