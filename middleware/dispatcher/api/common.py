"""What every blueprint needs: the farm as the caller sees it, and pages."""

import functools
import json
import threading

import cachetools
from flask import current_app

from dispatcher.api.access import current_principal
from dispatcher.services import pagination
from dispatcher.services.container import EXTENSION

#: The JSON of the pages the inventory hands out as tuples, by identity
#: (each kept with its tuple, so that an identity is never reused): a page
#: whose models have not changed is the same tuple, encoded once.
ENCODED_PAGES = 64
_ENCODED = cachetools.LRUCache(maxsize=ENCODED_PAGES)
_ENCODED_LOCK = threading.Lock()


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
    provider = current_app.json
    compact = provider.compact
    if (
        not isinstance(answer, dict)
        or not any(type(value) is tuple for value in answer.values())
        or compact is False
        or (compact is None and current_app.debug)
    ):
        return provider.response(answer), status
    # What the provider would write, with the tuples' text as kept.
    encode = _encoder(
        provider.default, provider.ensure_ascii, provider.sort_keys
    ).encode
    keys = sorted(answer) if provider.sort_keys else list(answer)
    body = b','.join(
        b'%s:%s' % (encode(key).encode(), _encoded(encode, answer[key]))
        for key in keys
    )
    return (
        current_app.response_class(
            b'{%s}\n' % body, mimetype=provider.mimetype
        ),
        status,
    )


@functools.lru_cache(maxsize=8)
def _encoder(default, ensure_ascii, sort_keys):
    """The compact encoder of the app's JSON provider's settings, made
    once (``json.dumps`` with options makes one per call)."""
    return json.JSONEncoder(
        default=default,
        ensure_ascii=ensure_ascii,
        sort_keys=sort_keys,
        separators=(',', ':'),
    )


def _encoded(encode, value):
    """``value`` in UTF-8 JSON; a tuple's kept while the tuple lives."""
    if type(value) is not tuple:
        return encode(value).encode()
    with _ENCODED_LOCK:
        kept = _ENCODED.get(id(value))
    if kept is not None and kept[0] is value:
        return kept[1]
    text = encode(value).encode()
    with _ENCODED_LOCK:
        _ENCODED[id(value)] = (value, text)
    return text


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
