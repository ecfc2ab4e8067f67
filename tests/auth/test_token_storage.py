"""Tokens and audit events on each database: SQLite and PostgreSQL."""

import datetime
import threading

import pytest

from dispatcher import errors, storage
from dispatcher.policy.principal import Principal
from dispatcher.services import audit, tokens
from dispatcher.storage import schema


def test_tokens_round_trip(database):
    description, value = tokens.create_token(
        database, 'operator', clouds=['b', 'a'], name='ci', expires_in=600
    )
    assert description['clouds'] == ['a', 'b']
    principal = tokens.authenticate(database, value)
    assert (principal.token_id, principal.name, principal.role) == (
        description['id'],
        'ci',
        'operator',
    )
    assert principal.clouds == frozenset({'a', 'b'})
    tokens.revoke_token(database, description['id'])
    with pytest.raises(errors.Unauthorized, match='revoked'):
        tokens.authenticate(database, value)
    [listed] = tokens.list_tokens(database)
    assert listed['status'] == 'revoked'


def test_workers_starting_together_create_one_first_token(database_url):  # noqa: F811
    opened = [storage.Database(database_url) for _ in range(6)]
    schema.prepare(opened[0])
    barrier = threading.Barrier(len(opened))
    made = []

    def start(each):
        barrier.wait()
        made.append(tokens.create_first_token(each))

    threads = [threading.Thread(target=start, args=(each,)) for each in opened]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert len(made) == len(opened)
        created = [m for m in made if m is not None]
        assert len(created) == 1
        assert len(tokens.list_tokens(opened[0])) == 1
    finally:
        for each in opened:
            each.dispose()


def test_events_filter_by_time_on_every_database(database):
    who = Principal('t-1', 'deployer', 'operator')
    for cloud in ('a', 'b', 'a'):
        audit.record(
            database,
            who,
            'POST',
            '/v1/x',
            '/v1/x',
            'x.create',
            201,
            cloud=cloud,
            resource_id='r' * 300,
        )
    now = datetime.datetime.now(datetime.timezone.utc)
    hour = datetime.timedelta(hours=1)
    events, marker = audit.list_events(
        database, 10, since=now - hour, until=now + hour
    )
    assert len(events) == 3 and marker is None
    assert len(events[0]['resource_id']) == 255
    assert audit.list_events(database, 10, since=now + hour)[0] == []
    in_a, _ = audit.list_events(database, 10, cloud='a')
    assert [e['cloud'] for e in in_a] == ['a', 'a']
    limited = Principal('t-2', 'admin-b', 'admin', clouds=['b'])
    assert [
        e['cloud'] for e in audit.list_events(database, 10, viewer=limited)[0]
    ] == ['b']
