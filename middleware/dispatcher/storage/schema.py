"""The database schema's revision: check, create, upgrade (Alembic).

The migrations ship inside the package (:mod:`dispatcher.migrations`), so
an installed service can upgrade its own database: ``mw db upgrade``.  At
start-up the service creates the schema of a new, empty database by itself;
on an existing database whose schema is behind it refuses to start and says
which command to run.
"""

import functools

import sqlalchemy
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from dispatcher.storage import describe_url

SCRIPT_LOCATION = 'dispatcher:migrations'
VERSION_TABLE = 'alembic_version'
UPGRADE_COMMAND = 'mw db upgrade'


class SchemaError(RuntimeError):
    """The database's schema cannot be used by this version of the service."""


def alembic_config(connection=None):
    """An Alembic ``Config`` for the shipped migrations."""
    config = Config()
    config.set_main_option('script_location', SCRIPT_LOCATION)
    config.set_main_option('version_table', VERSION_TABLE)
    if connection is not None:
        config.attributes['connection'] = connection
    return config


@functools.lru_cache(maxsize=1)
def _scripts():
    return ScriptDirectory.from_config(alembic_config())


def head_revision():
    """The newest revision this version of the service ships."""
    return _scripts().get_current_head()


def known_revisions():
    """Every revision this version ships, newest first."""
    return [script.revision for script in _scripts().walk_revisions()]


def current_revision(connection):
    """The revision recorded in the database (``None``: none recorded)."""
    return MigrationContext.configure(
        connection, opts={'version_table': VERSION_TABLE}
    ).get_current_revision()


def _user_tables(connection):
    return [
        name
        for name in sqlalchemy.inspect(connection).get_table_names()
        if name != VERSION_TABLE
    ]


def status(database):
    """``(current, head)`` revisions of ``database``."""
    with database.engine.connect() as connection:
        return current_revision(connection), head_revision()


def upgrade(database, revision='head'):
    """Apply the migrations up to ``revision``; returns ``(before, after)``.

    Holds the database's lock while it works, so that several processes
    starting together migrate once.
    """
    with database.locked_connection() as connection:
        before = current_revision(connection)
        command.upgrade(alembic_config(connection), revision)
        return before, current_revision(connection)


def prepare(database):
    """Create the schema of an empty database; check any other's revision.

    :raises SchemaError: the schema is behind (naming ``mw db upgrade``), is
        newer than this version, or the database holds other tables.
    """
    head = head_revision()
    with database.engine.connect() as connection:
        if current_revision(connection) == head:
            return
    with database.locked_connection() as connection:
        current = current_revision(connection)
        if current == head:
            return
        where = describe_url(database.url)
        if current is None:
            tables = _user_tables(connection)
            if tables:
                raise SchemaError(
                    'the database %s holds tables (%s) but no schema '
                    'revision of this service; point MW_DATABASE_URL at an '
                    'empty database or at one of this service'
                    % (where, ', '.join(sorted(tables)[:5]))
                )
            command.upgrade(alembic_config(connection), 'head')
            return
        if current not in known_revisions():
            raise SchemaError(
                'the database %s has schema revision %s, which this version '
                'of the service does not know (it ships up to %s): run a '
                'newer version' % (where, current, head)
            )
        raise SchemaError(
            'the database %s has schema revision %s but this version needs '
            '%s: run `%s` (with the same settings) to upgrade it'
            % (where, current, head, UPGRADE_COMMAND)
        )
