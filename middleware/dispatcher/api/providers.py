"""The provider labels the cloud factory knows."""

from flask import Blueprint

from dispatcher.api.common import list_answer
from dispatcher.services import providers

bp = Blueprint('providers', __name__, url_prefix='/v1/providers')


@bp.route('')
def list_providers():
    """Every provider label, with the operations its driver implements.

    Labels with a driver of this project, every libcloud compute provider by
    its libcloud name, and the labels plugins add.

    :query limit: page size (default 100).
    :query marker: the ``label`` after which the page starts.
    :query name: only this label.
    :>json array providers: ``label``, ``driver`` (class), ``source``
        (``builtin``, ``libcloud`` or ``plugin``), ``available``,
        ``capabilities`` (operation names) and ``reason`` when unavailable.
    :>json string next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit`` or ``marker``.
    """
    items = [dict(p, name=p['label']) for p in providers.list_providers()]
    return list_answer('providers', items, key=lambda p: p['label'])
