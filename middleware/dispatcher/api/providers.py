"""The provider labels the cloud factory knows."""

from flask import Blueprint

from dispatcher.api.common import list_answer
from dispatcher.services import providers

bp = Blueprint('providers', __name__, url_prefix='/v1/providers')


@bp.route('')
def list_providers():
    """Every provider label, with the operations its driver implements.

    Labels with a driver of this project, every libcloud compute provider by
    its libcloud name, and the labels plugins add.  A farm entry's
    ``ENGINE`` is one of these labels.

    **Example request**:

    .. sourcecode:: http

        GET /v1/providers?name=simulator HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"providers": [{"label": "simulator",
                        "driver": "dispatcher.lib.cloud_factory.drivers.simulator:SimulatorDriver",
                        "source": "builtin",
                        "capabilities": ["create_node", "destroy_node",
                                         "list_nodes", "reboot_node",
                                         "start_node", "stop_node"],
                        "available": true, "name": "simulator"}],
         "next_marker": null}

    :query integer limit: page size (default 100).
    :query string marker: the ``label`` after which the page starts.
    :query string name: only this label.
    :resjson array providers: ``label`` (also as ``name``), ``driver``
        (``module:Class``), ``source`` (``builtin``, ``libcloud`` or
        ``plugin``), ``available``, ``capabilities`` (operation names) and
        ``reason`` when unavailable.
    :resjson string|null next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit`` or ``marker`` (``field`` names it).
    """
    items = [dict(p, name=p['label']) for p in providers.list_providers()]
    return list_answer('providers', items, key=lambda p: p['label'])
