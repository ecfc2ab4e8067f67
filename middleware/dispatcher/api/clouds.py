"""The farm: every cloud the operator configured (never credentials)."""

from dispatcher.api.common import cloud, farm, list_answer
from dispatcher.api.framework import PROVIDER, Blueprint
from dispatcher.api.schemas.farm import (
    CloudAnswer,
    CloudPage,
    CloudQuery,
    CloudShowQuery,
)
from dispatcher.services import clouds as service

bp = Blueprint('clouds', __name__, url_prefix='/v1/clouds')


@bp.route('')
@bp.arguments(CloudQuery, location='query')
@bp.response(200, CloudPage)
def list_clouds(query):
    """The farm's clouds: never a credential.

    A cloud whose farm entry is broken is listed ``unavailable`` with the
    reason; the rest of the farm serves.
    """
    return list_answer(
        'clouds',
        service.describe_all(farm()),
        query,
        key=lambda c: c['name'],
        filters=('name', 'status'),
    )


@bp.route('/<cloud_name>')
@bp.arguments(CloudShowQuery, location='query')
@bp.response(200, CloudAnswer)
@bp.errors(404, *PROVIDER)
def show_cloud(query, cloud_name):
    """One cloud; ``?check=true`` proves its credentials with a live call.

    The check's outcome is in ``check``: a cloud that refuses the farm's
    credentials is ``{"ok": false, "error": {...}}``, not a failed request.
    """
    return {
        'cloud': service.describe(cloud(cloud_name), query.get('check', False))
    }
