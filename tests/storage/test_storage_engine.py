"""Engines and sessions: URLs, times, concurrent writers, fork safety."""

import datetime
import os
import threading

import pytest
from sqlalchemy import func, select, update

from dispatcher import storage
from dispatcher.storage import schema
from dispatcher.storage.models import Job
from dispatcher.storage.types import utcnow


def test_bare_postgresql_urls_use_psycopg_3():
    url = storage.normalise_url('postgresql://mw@db.example.com/mw')
    assert url.drivername == 'postgresql+psycopg'
    assert (
        storage.normalise_url('postgres://db/mw').drivername
        == 'postgresql+psycopg'
    )
    assert storage.normalise_url('sqlite:///x.db').drivername == 'sqlite'


def test_a_described_url_never_shows_its_password():
    text = storage.describe_url('postgresql://mw:s3cret-pw@db/mw')
    assert 's3cret-pw' not in text
    assert 'db/mw' in text


def test_database_url_defaults_to_the_instance_folder(tmp_path):
    assert storage.database_url({}, str(tmp_path)) == 'sqlite:///%s' % (
        tmp_path / 'mw.sqlite'
    )
    assert (
        storage.database_url(
            {'DATABASE_URL': 'postgresql://h/db'}, str(tmp_path)
        )
        == 'postgresql://h/db'
    )


def _add_job(database, **values):
    with database.session(write=True) as session:
        job = Job(
            kind='stack.create', params={}, requested_by='tests', **values
        )
        session.add(job)
        session.flush()
        return job.id


def test_times_come_back_aware_and_in_utc(database):
    schema.upgrade(database)
    paris = datetime.timezone(datetime.timedelta(hours=2))
    moment = datetime.datetime(2026, 5, 1, 14, 30, 0, 123456, tzinfo=paris)
    job_id = _add_job(database, started_at=moment)
    with database.session() as session:
        stored = session.scalar(select(Job.started_at).where(Job.id == job_id))
    assert stored == moment
    assert stored.utcoffset() == datetime.timedelta(0)


def test_naive_times_are_refused(database):
    schema.upgrade(database)
    with pytest.raises(Exception) as raised:
        _add_job(database, started_at=datetime.datetime(2026, 5, 1))
    assert 'naive datetime' in str(raised.value)


def test_times_compare_in_sql_as_times(database):
    schema.upgrade(database)
    now = utcnow()
    early = _add_job(
        database, lease_expires_at=now - datetime.timedelta(seconds=5)
    )
    _add_job(database, lease_expires_at=now + datetime.timedelta(days=400))
    with database.session() as session:
        expired = session.scalars(
            select(Job.id).where(Job.lease_expires_at < now)
        ).all()
    assert expired == [early]


def test_concurrent_read_then_write_sessions_lose_no_update(database):
    schema.upgrade(database)
    job_id = _add_job(database, attempts=0)
    failures = []

    def bump():
        try:
            for _ in range(25):
                with database.session(write=True) as session:
                    attempts = session.scalar(
                        select(Job.attempts)
                        .where(Job.id == job_id)
                        .with_for_update()
                    )
                    session.execute(
                        update(Job)
                        .where(Job.id == job_id)
                        .values(attempts=attempts + 1)
                    )
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    with database.session() as session:
        assert (
            session.scalar(select(Job.attempts).where(Job.id == job_id)) == 150
        )


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    database = storage.Database('sqlite:///%s' % (tmp_path / 'mw.sqlite'))
    try:
        with database.engine.connect() as connection:
            mode = connection.exec_driver_sql('PRAGMA journal_mode').scalar()
            timeout = connection.exec_driver_sql(
                'PRAGMA busy_timeout'
            ).scalar()
        assert mode == 'wal'
        assert timeout == int(storage.SQLITE_BUSY_TIMEOUT * 1000)
    finally:
        database.dispose()


def test_a_forked_child_opens_its_own_connections(database):
    schema.upgrade(database)
    _add_job(database)
    with database.session() as session:  # the parent's pool holds one now
        assert session.scalar(select(func.count()).select_from(Job)) == 1
    pid = os.fork()
    if pid == 0:  # the child: use the database, report by exit status
        status = 1
        try:
            _add_job(database)
            with database.session() as session:
                status = (
                    0
                    if session.scalar(select(func.count()).select_from(Job))
                    == 2
                    else 3
                )
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    with database.session() as session:  # the parent's connection still works
        assert session.scalar(select(func.count()).select_from(Job)) == 2
