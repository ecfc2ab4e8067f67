"""Filtering and marker pagination of list answers.

A page holds at most ``limit`` items; ``next_marker`` is the key of its last
item when more follow, and the next page is asked for with
``marker=<that key>``.  The order is the provider's, which is stable.
"""

from dispatcher import errors


def parse_limit(value, default, maximum):
    """``limit`` from a query string: an integer from 1 to ``maximum``."""
    if value is None or value == '':
        return default
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= maximum:
        raise errors.BadRequest(
            'limit must be an integer from 1 to %d' % maximum,
            field='limit',
            code='invalid_field',
        )
    return limit


def value_of(item, name):
    """The field ``name`` of a value object or of a dict."""
    if isinstance(item, dict):
        return item.get(name)
    return getattr(item, name, None)


def by_id(item):
    """The key of most lists: the item's ``id``."""
    return value_of(item, 'id')


def filter_items(items, **wanted):
    """Items whose fields equal every given (non-``None``) value."""
    wanted = {k: v for k, v in wanted.items() if v not in (None, '')}
    return [
        item
        for item in items
        if all(str(value_of(item, k)) == str(v) for k, v in wanted.items())
    ]


def unknown_marker(marker):
    """The 400 of a ``marker`` that is the key of no item."""
    return errors.BadRequest(
        'marker %r matches no item' % marker,
        field='marker',
        code='invalid_field',
    )


def paginate(items, limit, marker=None, key=by_id):
    """``(page, next_marker)`` of ``items`` after ``marker``.

    :raises BadRequest: when ``marker`` is the key of no item.
    """
    start = 0
    if marker not in (None, ''):
        keys = [str(key(item)) for item in items]
        if marker not in keys:
            raise unknown_marker(marker)
        start = keys.index(marker) + 1
    page = items[start : start + limit]
    more = start + limit < len(items)
    return page, (str(key(page[-1])) if more and page else None)
