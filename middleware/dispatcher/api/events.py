"""The audit trail: every change made through the API (admins only)."""

import datetime

from flask import Blueprint, current_app, jsonify, request

from dispatcher import errors, storage
from dispatcher.auth.scope import current_principal
from dispatcher.services import audit, pagination

bp = Blueprint('events', __name__, url_prefix='/v1/events')


def parse_time(name):
    """The query parameter ``name`` as an aware ``datetime`` (UTC when it
    names no zone), ``None`` when absent; 400 naming it when not ISO 8601."""
    value = request.args.get(name)
    if value in (None, ''):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise errors.BadRequest(
            "%s must be an ISO 8601 time, e.g. 2026-01-05T09:30:00Z" % name,
            field=name, code='invalid_field')
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


@bp.route('')
def list_events():
    """The audit trail, newest first: who changed what, where, and how it
    went.

    Every request that changes something (any method but ``GET``) made
    with a valid token is recorded, whatever its outcome.  An admin token
    limited to some clouds sees only the events on its clouds.

    **Example request**:

    .. sourcecode:: http

        GET /v1/events?cloud=default&since=2026-01-05T00:00:00Z HTTP/1.1
        X-Auth-Token: mwt_...

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"events": [{"id": "5e0f8c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
                     "time": "2026-01-05T09:30:00.120000+00:00",
                     "token": {"id": "9b0c3f56-5d8e-4f0e-9a7c-2f4d1e6b8a10",
                               "name": "ci-deploy"},
                     "method": "POST",
                     "route": "/v1/clouds/<cloud_name>/nodes",
                     "path": "/v1/clouds/default/nodes",
                     "action": "nodes.create_node",
                     "cloud": "default",
                     "resource_id": "4b2675c6-0cb5-41cf-9928-92b55df16ba9",
                     "status": 201,
                     "request_id": "6f1d0c2e9b8a47c5a3e2d1f0b9c8a7e6"}],
         "next_marker": null}

    :query integer limit: page size (default 100).
    :query string marker: the ``id`` of the event after which the page
        starts.
    :query string cloud: only events on this cloud.
    :query string token: only events of this token id.
    :query string since: only events at or after this ISO 8601 time.
    :query string until: only events before this ISO 8601 time.
    :resjson array events: ``id``, ``time``, ``token`` (``id`` and
        ``name``; null id when authentication is off), ``method``,
        ``route`` (the URL rule), ``path``, ``action`` (the endpoint, with
        ``:reboot`` etc. for node actions), ``cloud``, ``resource_id``,
        ``status`` (of the answer), ``request_id``.
    :resjson string|null next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit``, ``marker``, ``since`` or ``until``
        (``field`` names it).
    :status 401: no token, or one that is not valid.
    :status 403: the token is not an admin's.
    :status 429: too many requests for this token (``Retry-After``).
    """
    limit = pagination.parse_limit(request.args.get('limit'),
                                   current_app.config['PAGE_SIZE'],
                                   current_app.config['MAX_PAGE_SIZE'])
    events, next_marker = audit.list_events(
        storage.database(), limit, marker=request.args.get('marker'),
        cloud=request.args.get('cloud'), token=request.args.get('token'),
        since=parse_time('since'), until=parse_time('until'),
        viewer=current_principal())
    return jsonify({'events': events, 'next_marker': next_marker})
