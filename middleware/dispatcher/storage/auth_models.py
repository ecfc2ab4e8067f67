"""The tables of access control: API tokens and the audit trail.

A token is stored as the SHA-256 digest of its value, never the value
itself, beside a short non-secret ``prefix`` that finds it and names it in
lists.  Audit events record every request that changes something: who
(token id and name), what (method, route, action), where (cloud, resource
id), the answer's status and the request id.
"""

import datetime
from typing import Optional

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dispatcher.policy import roles
from dispatcher.storage.models import Base
from dispatcher.storage.types import JSONDocument, UTCDateTime, new_id, utcnow

#: The roles a token can have, weakest first.
ROLES = roles.ROLES


class ApiToken(Base):
    """A credential of the API: its role, its clouds, its life."""

    __tablename__ = 'api_tokens'

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    name: Mapped[Optional[str]] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    #: Cloud names the token may see; ``None``: every cloud.
    clouds: Mapped[Optional[list]] = mapped_column(JSONDocument)
    #: The token's first characters, not secret: finds and names it.
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    #: SHA-256 of the whole value, hexadecimal.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[Optional[str]] = mapped_column(String(64))
    created_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )
    expires_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )
    revoked_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )


class AuditEvent(Base):
    """One request that changed something, whatever its outcome."""

    __tablename__ = 'audit_events'

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    created_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )
    token_id: Mapped[Optional[str]] = mapped_column(String(36), index=True)
    token_name: Mapped[Optional[str]] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(8))
    #: The URL rule, e.g. ``/v1/clouds/<cloud_name>/nodes``.
    route: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(1024))
    #: The endpoint, e.g. ``nodes.create_node`` (``:reboot`` for actions).
    action: Mapped[str] = mapped_column(String(128))
    cloud: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    resource_id: Mapped[Optional[str]] = mapped_column(String(255))
    status: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[Optional[str]] = mapped_column(String(64))
