"""The schema: created on a new database, checked on an existing one,
upgraded by ``mw db upgrade``, described the same by models and migrations.
"""

import threading

import pytest
import sqlalchemy
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner

from dispatcher import close_app, create_app, storage
from dispatcher.cli import main as mw
from dispatcher.storage import schema
from dispatcher.storage.models import Base

TABLES = {
    'jobs',
    'job_steps',
    'stacks',
    'stack_nodes',
    'stack_events',
    'idempotency_keys',
}


def _tables(database):
    with database.engine.connect() as connection:
        return set(sqlalchemy.inspect(connection).get_table_names())


def _app(tmp_path, url):
    return create_app(
        {
            'TESTING': True,
            'AUTH_ENABLED': False,
            'INSTANCE_PATH': str(tmp_path / 'instance'),
            'DATABASE_URL': url,
            'LOG_LEVEL': 'WARNING',
            'CLOUD_FARM': {},
        }
    )


def _close(app):
    close_app(app)


def test_a_new_database_gets_the_whole_schema_at_start(tmp_path, database_url):
    app = _app(tmp_path, database_url)
    try:
        database = storage.database(app)
        assert TABLES <= _tables(database)
        assert schema.status(database) == (
            schema.head_revision(),
            schema.head_revision(),
        )
    finally:
        _close(app)


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path):
    app = _app(tmp_path, None)
    try:
        database = storage.database(app)
        assert database.is_sqlite
        assert database.url.database == str(
            tmp_path / 'instance' / 'mw.sqlite'
        )
        assert (tmp_path / 'instance' / 'mw.sqlite').is_file()
    finally:
        _close(app)


def test_migrations_build_exactly_what_the_models_describe(database):
    schema.upgrade(database)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={'compare_type': True}
        )
        differences = [
            d
            for d in compare_metadata(context, Base.metadata)
            if not _foreign(d)
        ]
    assert differences == []


def _foreign(difference):
    # Tables of other parts of the service have models of their own.
    table = (
        difference[1]
        if difference[0] in ('add_table', 'remove_table')
        else None
    )
    return table is not None and table.name not in TABLES


def test_migrations_go_down_to_nothing_and_up_again(database):
    schema.upgrade(database)
    with database.locked_connection() as connection:
        command.downgrade(schema.alembic_config(connection), 'base')
    assert not (_tables(database) - {schema.VERSION_TABLE})
    schema.upgrade(database)
    assert TABLES <= _tables(database)


def test_service_refuses_a_schema_that_is_behind_and_names_the_command(
    tmp_path, database_url, database, monkeypatch
):
    schema.upgrade(database, '0001_jobs')
    with pytest.raises(schema.SchemaError) as raised:
        _app(tmp_path, database_url)
    assert 'mw db upgrade' in str(raised.value)
    assert '0001_jobs' in str(raised.value)

    monkeypatch.setenv('MW_DATABASE_URL', database_url)
    monkeypatch.delenv('MW_SETTINGS', raising=False)
    result = CliRunner().invoke(mw, ['db', 'upgrade'])
    assert result.exit_code == 0, result.output
    assert (
        'from revision 0001_jobs to %s' % schema.head_revision()
        in result.output
    )
    result = CliRunner().invoke(mw, ['db', 'status'])
    assert result.exit_code == 0, result.output

    app = _app(tmp_path, database_url)
    _close(app)


def test_db_status_fails_while_the_schema_is_behind(
    database_url, database, monkeypatch
):
    schema.upgrade(database, '0001_jobs')
    monkeypatch.setenv('MW_DATABASE_URL', database_url)
    result = CliRunner().invoke(mw, ['db', 'status'])
    assert result.exit_code == 1
    assert 'mw db upgrade' in result.output


def test_a_database_of_something_else_is_refused(
    tmp_path, database_url, database
):
    with database.engine.begin() as connection:
        connection.exec_driver_sql('CREATE TABLE invoices (id INTEGER)')
    with pytest.raises(schema.SchemaError) as raised:
        _app(tmp_path, database_url)
    assert 'invoices' in str(raised.value)
    assert TABLES.isdisjoint(_tables(database))


def test_a_schema_newer_than_this_version_is_refused(
    tmp_path, database_url, database
):
    schema.upgrade(database)
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE alembic_version SET version_num = '9999_future'"
        )
    with pytest.raises(schema.SchemaError) as raised:
        _app(tmp_path, database_url)
    assert '9999_future' in str(raised.value)
    assert 'newer version' in str(raised.value)


def test_processes_starting_together_create_the_schema_once(database_url):
    databases = [storage.Database(database_url) for _ in range(4)]
    failures = []
    barrier = threading.Barrier(len(databases))

    def start(database):
        try:
            barrier.wait()
            schema.prepare(database)
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=start, args=(d,)) for d in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert failures == []
        assert schema.status(databases[0])[0] == schema.head_revision()
    finally:
        for database in databases:
            database.dispose()


def test_upgrade_of_an_up_to_date_database_changes_nothing(database):
    assert schema.upgrade(database)[1] == schema.head_revision()
    head = schema.head_revision()
    assert schema.upgrade(database) == (head, head)
