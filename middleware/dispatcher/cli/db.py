"""``mw db``: the service's database (its schema revision and upgrades).

These commands work on the database directly, with the service's settings
(``--settings`` or ``MW_SETTINGS``, ``MW_DATABASE_URL``,
``MW_INSTANCE_PATH``); they do not talk to a running service.
"""

import os

import click

from dispatcher import config
from dispatcher.cli.errors import CommandFailed


def service_database_url(settings_file):
    """The URL of the database the service would use."""
    from dispatcher import storage

    try:
        settings = config.use_settings_file(settings_file)
    except config.SettingsError as exc:
        raise CommandFailed(str(exc))
    # The same instance folder as the service's create_app().
    return storage.database_url(settings, config.instance_folder(settings))


def open_database(settings_file, url=None):
    """The :class:`~dispatcher.storage.Database` the service would use."""
    from dispatcher import storage

    url = url or service_database_url(settings_file)
    try:
        return storage.Database(url)
    except Exception as exc:
        raise CommandFailed('the database cannot be opened: %s' % exc)


def open_existing_database(settings_file):
    """The service's database, refused unless it exists with the schema
    this version needs: never a new, empty one."""
    from sqlalchemy.engine import make_url

    from dispatcher import storage
    from dispatcher.storage import schema

    text = service_database_url(settings_file)
    where = storage.describe_url(text)
    url = make_url(text)
    if url.get_backend_name() == 'sqlite' and url.database not in (
        None,
        '',
        ':memory:',
    ):
        if not os.path.isfile(url.database):
            raise CommandFailed(
                "the service's database %s does not exist: start the "
                'service once (mw serve), or run mw db upgrade with its '
                'settings, or point --settings, MW_SETTINGS, '
                'MW_INSTANCE_PATH or MW_DATABASE_URL at its database' % where
            )
    database = open_database(settings_file, text)
    try:
        current, head = schema.status(database)
    except Exception as exc:
        database.dispose()
        raise CommandFailed(
            'the database %s cannot be read: %s' % (where, exc)
        )
    if current != head:
        database.dispose()
        raise CommandFailed(
            'the database %s %s: start the service once, or run mw db '
            'upgrade with its settings'
            % (
                where,
                'has no schema of this service'
                if current is None
                else 'has schema revision %s, not %s' % (current, head),
            )
        )
    return database


#: ``--settings FILE`` of the commands that work on the service's own
#: state rather than through its API.
settings_option = click.option(
    '--settings',
    'settings_file',
    metavar='FILE',
    type=click.Path(exists=True, dir_okay=False),
    help="The service's settings file (default: the file named by "
    'MW_SETTINGS).',
)


@click.group('db')
def db():
    """The service's database: schema revision and upgrades."""


@db.command('upgrade')
@settings_option
@click.option(
    '--revision',
    default='head',
    show_default=True,
    help='The schema revision to upgrade to.',
)
def upgrade(settings_file, revision):
    """Upgrade the database's schema (creating it if the database is new).

    Run it after installing a new version of the service, with the same
    settings as the service; the service refuses to start on a schema that
    is behind.
    """
    from dispatcher import storage
    from dispatcher.storage import schema

    database = open_database(settings_file)
    where = storage.describe_url(database.url)
    try:
        before, after = schema.upgrade(database, revision)
    except Exception as exc:
        raise CommandFailed(
            'cannot upgrade the database %s: %s' % (where, exc)
        )
    finally:
        database.dispose()
    if before == after:
        click.echo(
            'mw: the database %s is up to date (revision %s)' % (where, after)
        )
    else:
        click.echo(
            'mw: upgraded the database %s from revision %s to %s'
            % (where, before or 'none (new database)', after)
        )


@db.command('status')
@settings_option
def status(settings_file):
    """Show the database's schema revision and the one this version needs.

    Exits with status 1 when the schema is behind.
    """
    from dispatcher import storage
    from dispatcher.storage import schema

    database = open_database(settings_file)
    try:
        current, head = schema.status(database)
    except Exception as exc:
        raise CommandFailed(
            'cannot read the database %s: %s'
            % (storage.describe_url(database.url), exc)
        )
    finally:
        database.dispose()
    click.echo('database: %s' % storage.describe_url(database.url))
    click.echo('revision: %s' % (current or 'none (new database)'))
    click.echo('needed:   %s' % head)
    if current != head:
        raise CommandFailed('the schema is behind: run `mw db upgrade`')


COMMANDS = [db]
