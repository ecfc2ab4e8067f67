"""Running jobs: outcomes, steps, progress, cancellation, recovery."""

import datetime
import socket
import subprocess
import sys
import time

import pytest
import sqlalchemy
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from dispatcher import close_app, create_app, errors, storage
from dispatcher.jobs import leases, registry
from dispatcher.services import jobs as job_service
from dispatcher.storage.models import Job
from dispatcher.storage.types import utcnow
from tests.orchestration.support import wait_for_job


def echo(context):
    context.progress(total=2)
    context.record_step('first', 'succeeded', {'n': 1})
    context.record_step('second', 'succeeded', {'n': 2})
    return {'echo': context.params}


def many_steps_then_failure(context):
    """Steps that end by the dozen a second, then a failure."""
    context.progress(total=40)
    for number in range(30):
        context.record_step('step %d' % number, 'succeeded')
    raise errors.ProviderError('the provider broke', cloud='sim-b')


def provider_failure(context):
    raise errors.ProviderError('the provider broke', cloud='sim-b')


def crash(context):
    raise RuntimeError('internal detail that must not leak')


def until_cancelled(context):
    while True:
        context.check()
        time.sleep(0.05)


def second_attempt(context):
    """Runs until interrupted; succeeds when run again."""
    while context.attempts < 2:
        context.check()
        time.sleep(0.05)
    return {'attempt': context.attempts}


def database_lost_once(context):
    """The database fails under the first attempt, as when it restarts or
    has no connection left."""
    if context.attempts < 2:
        raise OperationalError(
            'SELECT 1', {}, Exception('too many clients already')
        )
    return {'attempt': context.attempts}


@pytest.fixture
def test_kinds(monkeypatch):
    for name, function in (
        ('test.echo', echo),
        ('test.second_attempt', second_attempt),
        ('test.provider_failure', provider_failure),
        ('test.many_steps_then_failure', many_steps_then_failure),
        ('test.crash', crash),
        ('test.until_cancelled', until_cancelled),
        ('test.database_lost_once', database_lost_once),
    ):
        monkeypatch.setitem(
            registry.HANDLERS, name, '%s:%s' % (__name__, function.__name__)
        )
        monkeypatch.setitem(registry._loaded, name, function)


def _queue(app, kind, params=None, **values):
    database = storage.database(app)
    with database.session(write=True) as session:
        job = job_service.new_job(session, kind, 'tests', params=params)
        for name, value in values.items():
            setattr(job, name, value)
        job_id = job.id
    return job_id


def _submit(app, kind, params=None):
    job_id = _queue(app, kind, params)
    app.extensions['dispatcher.jobs'].submit(job_id)
    return job_id


@pytest.mark.usefixtures('test_kinds')
def test_a_job_records_its_result_steps_and_progress(stack_app, api):
    job = wait_for_job(api, _submit(stack_app, 'test.echo', {'a': 1}))
    assert job['status'] == 'succeeded'
    assert job['result'] == {'echo': {'a': 1}}
    assert job['progress'] == {'done': 2, 'total': 2}
    assert [(s['name'], s['result']) for s in job['steps']] == [
        ('first', {'n': 1}),
        ('second', {'n': 2}),
    ]
    with storage.database(stack_app).session() as session:
        row = session.scalars(select(Job).where(Job.id == job['id'])).one()
        assert row.lease_owner is None and row.lease_expires_at is None


@pytest.mark.usefixtures('test_kinds')
def test_a_failing_job_keeps_the_error_in_the_api_shape(stack_app, api):
    job = wait_for_job(api, _submit(stack_app, 'test.provider_failure'))
    assert job['status'] == 'failed'
    assert job['error'] == {
        'status': 502,
        'code': 'provider_error',
        'message': 'the provider broke',
        'cloud': 'sim-b',
    }


@pytest.mark.usefixtures('test_kinds')
def test_an_unexpected_exception_fails_the_job_without_its_details(
    stack_app, api
):
    job = wait_for_job(api, _submit(stack_app, 'test.crash'))
    assert job['status'] == 'failed'
    assert job['error']['code'] == 'internal_error'
    assert 'internal detail' not in job['error']['message']


@pytest.mark.usefixtures('test_kinds')
def test_a_job_the_database_failed_under_is_resumed_not_failed(stack_app, api):
    job = wait_for_job(api, _submit(stack_app, 'test.database_lost_once'))
    assert job['status'] == 'succeeded', job
    assert job['attempts'] == 2 and job['result'] == {'attempt': 2}


@pytest.mark.usefixtures('test_kinds')
def test_a_running_job_stops_when_cancelled(stack_app, api):
    job_id = _submit(stack_app, 'test.until_cancelled')
    deadline = time.monotonic() + 30
    while api.get('/v1/jobs/%s' % job_id).json['job']['status'] != 'running':
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert api.post('/v1/jobs/%s/cancel' % job_id).status_code == 202
    job = wait_for_job(api, job_id)
    assert job['status'] == 'cancelled'
    assert job['finished_at']


@pytest.mark.usefixtures('test_kinds')
def test_the_jobs_of_a_process_read_their_cancellations_together(
    stack_app, api
):
    """Four jobs checking twenty times a second: two reads a second for
    all of them, on the executor's own connection, and a cancellation
    still reaches the one it is for."""
    executor = stack_app.extensions['dispatcher.jobs']
    reads = {'jobs': 0, 'executor': 0}

    def counter(name, shape):
        def count(conn, cursor, statement, *args):
            if shape in ' '.join(statement.split()):
                reads[name] += 1

        return count

    listeners = [
        # A job reading its own flag; the executor reading all of them.
        (
            storage.database(stack_app).engine,
            counter('jobs', 'SELECT jobs.cancel_requested FROM'),
        ),
        (
            executor.lease_database.engine,
            counter('executor', 'AND jobs.cancel_requested IS'),
        ),
    ]
    for engine, listener in listeners:
        sqlalchemy.event.listen(engine, 'before_cursor_execute', listener)
    try:
        job_ids = [
            _submit(stack_app, 'test.until_cancelled') for _ in range(4)
        ]
        deadline = time.monotonic() + 30
        while any(
            api.get('/v1/jobs/%s' % job_id).json['job']['status'] != 'running'
            for job_id in job_ids
        ):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        before = dict(reads)
        time.sleep(2.0)
        # About four reads in two seconds (one every half second), where
        # each job reading its own flag would have made sixteen.
        assert 2 <= reads['executor'] - before['executor'] <= 7, reads
        assert reads['jobs'] == before['jobs'], reads
        assert api.post('/v1/jobs/%s/cancel' % job_ids[0]).status_code == 202
        assert wait_for_job(api, job_ids[0])['status'] == 'cancelled'
        for job_id in job_ids[1:]:
            job = api.get('/v1/jobs/%s' % job_id).json['job']
            assert job['status'] == 'running'
        for job_id in job_ids[1:]:
            api.post('/v1/jobs/%s/cancel' % job_id)
        for job_id in job_ids[1:]:
            assert wait_for_job(api, job_id)['status'] == 'cancelled'
    finally:
        for engine, listener in listeners:
            sqlalchemy.event.remove(engine, 'before_cursor_execute', listener)


def _dead_pid():
    child = subprocess.Popen([sys.executable, '-c', 'pass'])
    child.wait()
    return child.pid


@pytest.mark.usefixtures('test_kinds')
def test_a_job_whose_process_died_is_taken_up_at_once(stack_app, api):
    dead = '%s:%d:gone' % (socket.gethostname(), _dead_pid())
    job_id = _queue(
        stack_app,
        'test.echo',
        {'b': 2},
        status='running',
        lease_owner=dead,
        attempts=1,
        started_at=utcnow(),
        lease_expires_at=utcnow() + datetime.timedelta(hours=1),
    )
    stack_app.extensions['dispatcher.jobs'].start()
    job = wait_for_job(api, job_id)
    assert job['status'] == 'succeeded'
    assert job['attempts'] == 2


@pytest.mark.usefixtures('test_kinds')
def test_a_job_with_an_expired_lease_is_taken_up(stack_app, api):
    job_id = _queue(
        stack_app,
        'test.echo',
        status='running',
        attempts=1,
        lease_owner='elsewhere.example:1:abc',
        lease_expires_at=utcnow() + datetime.timedelta(seconds=1),
    )
    executor = stack_app.extensions['dispatcher.jobs']
    executor.start()
    assert api.get('/v1/jobs/%s' % job_id).json['job']['status'] == 'running'
    job = wait_for_job(api, job_id)
    assert job['status'] == 'succeeded'


def test_leases_are_exclusive_until_they_expire(stack_app):
    database = storage.database(stack_app)
    job_id = _queue(stack_app, 'stack.create')
    assert leases.claim(database, job_id, 'host-a:1:a', 60)
    assert not leases.claim(database, job_id, 'host-b:1:b', 60)
    assert not leases.claim(database, job_id, 'host-a:1:a', 60)
    assert leases.renew(database, 'host-a:1:a', {job_id}, 60) == {job_id}
    assert leases.renew(database, 'host-b:1:b', {job_id}, 60) == set()
    with database.session(write=True) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(lease_expires_at=utcnow() - datetime.timedelta(seconds=1))
        )
    assert leases.recoverable(database, 'host-b:1:b') == [job_id]
    assert leases.claim(database, job_id, 'host-b:1:b', 60)
    assert leases.renew(database, 'host-a:1:a', {job_id}, 60) == set()
    with database.session() as session:
        job = session.scalars(select(Job).where(Job.id == job_id)).one()
        assert (job.status, job.attempts) == ('running', 2)


def test_only_dead_processes_of_this_host_lose_their_leases_early():
    host = socket.gethostname()
    assert leases.owner_is_dead('%s:%d:x' % (host, _dead_pid()))
    assert not leases.owner_is_dead(leases.new_owner())
    assert not leases.owner_is_dead('other-host.example:%d:x' % _dead_pid())
    assert not leases.owner_is_dead('garbage')


def _wait_running(api, job_id):
    deadline = time.monotonic() + 30
    while api.get('/v1/jobs/%s' % job_id).json['job']['status'] != 'running':
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.mark.usefixtures('test_kinds')
def test_a_stopping_process_hands_its_jobs_to_the_next(
    stack_app, api, stack_settings
):
    job_id = _submit(stack_app, 'test.second_attempt')
    _wait_running(api, job_id)
    stack_app.extensions['dispatcher.jobs'].shutdown(wait=True)
    with storage.database(stack_app).session() as session:
        row = session.scalars(select(Job).where(Job.id == job_id)).one()
        assert row.status == 'running'
        assert row.lease_expires_at <= utcnow()
    successor = create_app(stack_settings)
    try:
        job = wait_for_job(successor.test_client(), job_id)
    finally:
        successor.extensions['dispatcher.jobs'].shutdown(wait=True)
        close_app(successor)
        storage.database(successor).dispose()
    assert job['status'] == 'succeeded'
    assert job['result'] == {'attempt': 2}


@pytest.mark.usefixtures('test_kinds')
def test_a_job_whose_lease_was_taken_stops_here(stack_app, api):
    executor = stack_app.extensions['dispatcher.jobs']
    job_id = _submit(stack_app, 'test.second_attempt')
    _wait_running(api, job_id)
    database = storage.database(stack_app)
    with database.session(write=True) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                lease_owner='elsewhere.example:1:x',
                lease_expires_at=utcnow() + datetime.timedelta(hours=1),
            )
        )
    deadline = time.monotonic() + 30
    while job_id in executor._running:
        assert time.monotonic() < deadline, 'the job did not stop'
        time.sleep(0.05)
    with database.session() as session:
        row = session.scalars(select(Job).where(Job.id == job_id)).one()
        assert (row.status, row.lease_owner) == (
            'running',
            'elsewhere.example:1:x',
        )


@pytest.mark.usefixtures('test_kinds')
def test_fast_steps_write_the_progress_soon_and_a_failed_job_its_count(
    stack_app, api
):
    database = storage.database(stack_app)
    writes = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith('UPDATE jobs SET progress_done'):
            writes.append(statement)

    sqlalchemy.event.listen(database.engine, 'before_cursor_execute', count)
    try:
        job = wait_for_job(
            api, _submit(stack_app, 'test.many_steps_then_failure')
        )
    finally:
        sqlalchemy.event.remove(
            database.engine, 'before_cursor_execute', count
        )
    assert job['status'] == 'failed'
    # The count of ended steps is exact once the job has ended ...
    assert job['progress'] == {'done': 30, 'total': 40}
    # ... though 30 steps ending at once wrote it far fewer times.
    assert 1 <= len(writes) < 10, writes
