"""The provider labels of the cloud factory."""

from dispatcher.api.common import list_answer
from dispatcher.api.framework import Blueprint
from dispatcher.api.schemas.common import NamedPageQuery
from dispatcher.api.schemas.farm import ProviderPage
from dispatcher.services import providers

bp = Blueprint('providers', __name__, url_prefix='/v1/providers')


@bp.route('')
@bp.arguments(NamedPageQuery, location='query')
@bp.response(200, ProviderPage)
def list_providers(query):
    """Every provider label, with the operations its driver implements.

    Built-in labels, every libcloud compute provider, and the labels of
    installed plugins (``source``); a driver that cannot be loaded is
    listed unavailable with the reason.
    """
    items = [dict(p, name=p['label']) for p in providers.list_providers()]
    return list_answer('providers', items, query, key=lambda p: p['label'])
