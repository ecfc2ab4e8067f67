"""The audit trail: every request that changed something, and who made it.

:func:`record` stores one event per mutating request (whatever its
outcome); :func:`list_events` reads them back, newest first, paginated by
the database and filtered by cloud, token and time.  An admin limited to
some clouds sees only the events on its clouds.
"""

from sqlalchemy import select, update

from dispatcher.policy.principal import SERVICE
from dispatcher.services import keyset
from dispatcher.storage.auth_models import AuditEvent
from dispatcher.storage.types import isoformat


def _bounded(value, length):
    """``value`` as text of at most ``length`` characters (``None`` kept)."""
    if value is None:
        return None
    value = str(value)
    return value if len(value) <= length else value[: length - 1] + '~'


#: The status of an event whose answer is not known yet (or was never
#: stored): the change was asked for, and may have been made.
UNANSWERED = 0


def begin(database, principal, method, route, path, **details):
    """Store the event of a change before it is made; returns its id.

    The change goes ahead only once its event is stored (the caller refuses
    it otherwise): nothing is done unrecorded.  :func:`finish` gives the
    event its outcome.
    """
    return record(
        database,
        principal,
        method,
        route,
        path,
        details.pop('action'),
        UNANSWERED,
        **details,
    )


def finish(database, event_id, status, action=None, resource_id=None):
    """Give the event ``event_id`` its answer's status (and what the
    request turned out to be about)."""
    values = {'status': int(status)}
    if action is not None:
        values['action'] = _bounded(action, 128)
    if resource_id is not None:
        values['resource_id'] = _bounded(resource_id, 255)
    with database.session(write=True) as session:
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.id == event_id)
            .values(**values)
        )


def record(
    database,
    principal,
    method,
    route,
    path,
    action,
    status,
    cloud=None,
    resource_id=None,
    request_id=None,
):
    """Store one event; returns its id.

    :param principal: who asked (its token id and name are kept).
    :param route: the URL rule, e.g. ``/v1/clouds/<cloud_name>/nodes``.
    :param action: what was asked, e.g. ``nodes.create_node``.
    :param status: the HTTP status of the answer.
    """
    event = AuditEvent(
        token_id=principal.token_id,
        token_name=_bounded(principal.name, 64),
        method=_bounded(method, 8),
        route=_bounded(route, 255),
        path=_bounded(path, 1024),
        action=_bounded(action, 128),
        cloud=_bounded(cloud, 64),
        resource_id=_bounded(resource_id, 255),
        status=int(status),
        request_id=_bounded(request_id, 64),
    )
    with database.session(write=True) as session:
        session.add(event)
    return event.id


def describe(event):
    """An event as the API shows it."""
    return {
        'id': event.id,
        'time': isoformat(event.created_at),
        'token': {'id': event.token_id, 'name': event.token_name},
        'method': event.method,
        'route': event.route,
        'path': event.path,
        'action': event.action,
        'cloud': event.cloud,
        'resource_id': event.resource_id,
        'status': event.status,
        'request_id': event.request_id,
    }


def list_events(
    database,
    limit,
    marker=None,
    cloud=None,
    token=None,
    since=None,
    until=None,
    viewer=SERVICE,
):
    """``(events, next_marker)``, newest first.

    :param cloud: only events on this cloud.
    :param token: only events of this token id.
    :param since: only events at or after this aware ``datetime``.
    :param until: only events before this aware ``datetime``.
    :param viewer: the principal asking; sees only its clouds' events.
    :raises BadRequest: ``marker`` names no event.
    """
    statement = select(AuditEvent)
    if cloud:
        statement = statement.where(AuditEvent.cloud == cloud)
    if token:
        statement = statement.where(AuditEvent.token_id == token)
    if since is not None:
        statement = statement.where(AuditEvent.created_at >= since)
    if until is not None:
        statement = statement.where(AuditEvent.created_at < until)
    if viewer.clouds is not None:
        statement = statement.where(
            AuditEvent.cloud.in_(sorted(viewer.clouds))
        )
    with database.session() as session:
        rows, next_marker = keyset.page(
            session, statement, AuditEvent, limit, marker, newest_first=True
        )
        return [describe(row) for row in rows], next_marker
