"""The audit trail (admins only)."""

from dispatcher.api.access import current_principal
from dispatcher.api.common import limit, services
from dispatcher.api.framework import Blueprint
from dispatcher.api.schemas.access import AuditEventPage, AuditQuery

bp = Blueprint('events', __name__, url_prefix='/v1/events')


@bp.route('')
@bp.arguments(AuditQuery, location='query')
@bp.response(200, AuditEventPage)
def list_events(query):
    """The audit trail, newest first: who changed what, where, and how it
    ended.

    Every request that could change something is recorded, whatever its
    outcome; filtered by ``cloud``, ``token`` (its id) and time.
    """
    events, next_marker = services().list_events(
        limit(query),
        current_principal(),
        marker=query.get('marker'),
        cloud=query.get('cloud'),
        token=query.get('token'),
        since=query.get('since'),
        until=query.get('until'),
    )
    return {'events': events, 'next_marker': next_marker}
