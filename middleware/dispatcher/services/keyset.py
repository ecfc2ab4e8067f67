"""Marker pagination of database rows, done by the database.

Rows are ordered by their ``seq`` (insertion order, stable); a page holds at
most ``limit`` rows and ``next_marker`` is the public key of its last row
when more follow, as in :mod:`dispatcher.services.pagination`.
"""

import re

from sqlalchemy import select

from dispatcher import errors


def page(
    session, statement, model, limit, marker=None, newest_first=False, key=None
):
    """``(rows, next_marker)`` of ``statement`` after ``marker``.

    :param model: the mapped class (it has ``seq``).
    :param key: the column markers name rows by (default ``model.id``).
    :raises BadRequest: when ``marker`` names no row.
    """
    key = model.id if key is None else key
    order = model.seq.desc() if newest_first else model.seq.asc()
    if marker not in (None, ''):
        seq = None
        python_type = key.type.python_type
        if python_type is int and not re.fullmatch('[0-9]{1,19}', marker):
            value = None  # ASCII digits only: not ' 1', '+1' or '١'
        else:
            try:
                value = python_type(marker)
            except (TypeError, ValueError):
                value = None
        # Integers beyond 64 bits match nothing (and no database takes them).
        if value is not None and not (
            isinstance(value, int) and abs(value) >= 2**63
        ):
            seq = session.scalar(select(model.seq).where(key == value))
        if seq is None:
            raise errors.BadRequest(
                'marker %r matches no item' % marker,
                field='marker',
                code='invalid_field',
            )
        statement = statement.where(
            model.seq < seq if newest_first else model.seq > seq
        )
    rows = session.scalars(statement.order_by(order).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(getattr(rows[-1], key.key)) if more and rows else None)


def choice(value, allowed, field):
    """``value`` if it is empty or one of ``allowed``; 400 otherwise."""
    if value not in (None, '') and value not in allowed:
        raise errors.BadRequest(
            '%s must be one of %s' % (field, ', '.join(allowed)),
            field=field,
            code='invalid_field',
        )
    return value or None
