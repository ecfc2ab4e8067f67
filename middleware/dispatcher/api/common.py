"""What every blueprint needs: the farm as the caller sees it, and pages."""

from flask import current_app

from dispatcher.api.access import current_principal
from dispatcher.services import pagination
from dispatcher.services.container import EXTENSION


def services():
    """The app's :class:`~dispatcher.services.container.Services`."""
    return current_app.extensions[EXTENSION]


def farm():
    """The app's :class:`~dispatcher.services.farm.Farm`, as the caller
    sees it: a token limited to some clouds sees only those."""
    return services().farm.restricted_to(current_principal().clouds)


def cloud(name):
    """The cloud named in the URL, or 404."""
    return farm().get(name)


def limit(query):
    """The page size the query asks for (400 above ``MAX_PAGE_SIZE``)."""
    return pagination.parse_limit(
        query.get('limit'),
        current_app.config['PAGE_SIZE'],
        current_app.config['MAX_PAGE_SIZE'],
    )


def list_answer(
    collection,
    items,
    query,
    key=pagination.by_id,
    filters=('name',),
    **extra,
):
    """A page of ``items`` after the query's filters and pagination:
    ``{collection: [...], "next_marker": ...}`` and ``extra``."""
    items = pagination.filter_items(
        items, **{name: query.get(name) for name in filters}
    )
    selected, next_marker = pagination.paginate(
        items, limit(query), query.get('marker'), key
    )
    return dict({collection: selected, 'next_marker': next_marker}, **extra)


def documents(answer, status=200):
    """An answer made of the inventory's documents, sent as they are.

    The documents are the value objects the answer schemas describe,
    serialised once when they were stored (``as_document``): dumping them
    through the schema again would only cost time.
    """
    return current_app.json.response(answer), status


def inventory_page(cloud_name, kind, query):
    """A page of one cloud's ``kind``, from the inventory, with its
    freshness."""
    return documents(
        services().inventory.page(cloud(cloud_name), kind, query, limit(query))
    )


def inventory_item(cloud_name, kind, key, query, live=None):
    """One cloud's item, from the inventory: ``{singular: item,
    "freshness": {...}}``."""
    item, freshness = services().inventory.show(
        cloud(cloud_name), kind, key, query.get('fresh'), live
    )
    return documents({kind[:-1]: item, 'freshness': freshness})


def created(body, location):
    """A ``201 Created`` answer of ``body`` with its ``Location``."""
    return body, 201, {'Location': location}
