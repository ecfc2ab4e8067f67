"""Column types and values shared by every table.

Times are stored in UTC and always come back as timezone-aware
``datetime`` objects, whichever database holds them (SQLite keeps no time
zone).  JSON columns use PostgreSQL's ``JSONB`` there and plain JSON text
elsewhere.
"""

import datetime
import uuid

from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import DateTime, TypeDecorator

#: A JSON document column (JSONB on PostgreSQL).
JSONDocument = JSON().with_variant(JSONB(), 'postgresql')


class UTCDateTime(TypeDecorator):
    """A ``DateTime`` stored in UTC and read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(
                'naive datetime %r: use dispatcher.storage.types'
                '.utcnow()' % value
            )
        value = value.astimezone(datetime.timezone.utc)
        if dialect.name == 'sqlite':
            # Stored as text: one fixed form keeps comparisons in SQL right.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=datetime.timezone.utc)
        return value.astimezone(datetime.timezone.utc)


def utcnow():
    """The current time, timezone-aware, in UTC."""
    return datetime.datetime.now(datetime.timezone.utc)


def new_id():
    """A new random identifier for a job or stack (a UUID string)."""
    return str(uuid.uuid4())


def isoformat(value):
    """A stored time as ISO 8601 text (``None`` stays ``None``)."""
    return value.isoformat() if value is not None else None
