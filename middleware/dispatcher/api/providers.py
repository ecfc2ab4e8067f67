"""The provider labels of the cloud factory."""

from dispatcher.api.common import farm, list_answer
from dispatcher.api.framework import Blueprint
from dispatcher.api.schemas.common import NamedPageQuery, NoQuery
from dispatcher.api.schemas.farm import ProviderAnswer, ProviderPage
from dispatcher.services import providers

bp = Blueprint('providers', __name__, url_prefix='/v1/providers')


@bp.route('')
@bp.arguments(NamedPageQuery, location='query')
@bp.response(200, ProviderPage)
def list_providers(query):
    """Every provider label, with the operations its driver implements.

    Built-in labels, every libcloud compute provider, and the labels of
    installed plugins (``source``); a driver that cannot be loaded is
    listed unavailable with the reason, and a plugin refused because its
    label was taken is named in that label's ``conflicts``.
    """
    items = [
        dict(p, name=p['label']) for p in providers.list_providers(farm())
    ]
    return list_answer('providers', items, query, key=lambda p: p['label'])


@bp.route('/<label>')
@bp.arguments(NoQuery, location='query')
@bp.response(200, ProviderAnswer)
@bp.errors(404)
def show_provider(query, label):
    """One provider label, with the fields of its farm entry.

    ``configuration`` lists what an entry of ``CLOUD_FARM`` with this
    ``ENGINE`` may hold: ``USER``, ``PASSWORD`` and the ``EXTRA_PARAMS``
    keys, each with its type, whether it is required or secret, its
    default and a line of help.  Entries are checked against it when the
    service starts.
    """
    entry = providers.get_provider(label, farm())
    return {'provider': dict(entry, name=entry['label'])}
