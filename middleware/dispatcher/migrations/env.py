"""Alembic environment: runs the migrations on the connection it is given.

The service passes an open connection (``config.attributes['connection']``,
see :mod:`dispatcher.storage.schema`); standalone use builds an engine from
``MW_DATABASE_URL`` or the ``sqlalchemy.url`` option.
"""

import os

import sqlalchemy
from alembic import context

from dispatcher.storage import (
    auth_models,  # noqa: F401  (its tables)
    normalise_url,
)
from dispatcher.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection):
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=config.get_main_option(
            'version_table', 'alembic_version'
        ),
        # SQLite alters tables by copying them: let revisions say so.
        render_as_batch=connection.dialect.name == 'sqlite',
        compare_type=True,
    )


def run_migrations_online():
    connection = config.attributes.get('connection')
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = os.environ.get('MW_DATABASE_URL') or config.get_main_option(
        'sqlalchemy.url'
    )
    engine = sqlalchemy.create_engine(normalise_url(url))
    with engine.begin() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def run_migrations_offline():
    url = os.environ.get('MW_DATABASE_URL') or config.get_main_option(
        'sqlalchemy.url'
    )
    context.configure(
        url=str(normalise_url(url)),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
