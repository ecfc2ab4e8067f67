"""The audit trail (admins only)."""

from dispatcher import storage
from dispatcher.api.common import limit
from dispatcher.api.framework import Blueprint
from dispatcher.api.schemas.access import AuditEventPage, AuditQuery
from dispatcher.auth.scope import current_principal
from dispatcher.services import audit

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
    events, next_marker = audit.list_events(
        storage.database(),
        limit(query),
        marker=query.get('marker'),
        cloud=query.get('cloud'),
        token=query.get('token'),
        since=query.get('since'),
        until=query.get('until'),
        viewer=current_principal(),
    )
    return {'events': events, 'next_marker': next_marker}
