"""The tables of the service's state: jobs, stacks, their nodes and events.

Every table has an integer ``seq`` primary key (the stable order used for
marker pagination) and, where the API names the row, a random ``id``.
Schema changes go through the Alembic migrations in
:mod:`dispatcher.migrations`; these classes describe the newest revision.
"""

import datetime
from typing import Optional

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dispatcher.storage.types import JSONDocument, UTCDateTime, new_id, utcnow

#: Constraint names the migrations can refer to, the same on every database.
NAMING = {
    'ix': 'ix_%(column_0_label)s',
    'uq': 'uq_%(table_name)s_%(column_0_name)s',
    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    'pk': 'pk_%(table_name)s',
}

#: Job states; the last three are final.
JOB_STATES = ('queued', 'running', 'succeeded', 'failed', 'cancelled')
FINAL_JOB_STATES = ('succeeded', 'failed', 'cancelled')


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Job(Base):
    """A long-running operation, persisted so any API host can report it."""

    __tablename__ = 'jobs'

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(
        String(16), default='queued', index=True
    )
    target_type: Mapped[Optional[str]] = mapped_column(String(32))
    target_id: Mapped[Optional[str]] = mapped_column(String(36), index=True)
    params: Mapped[dict] = mapped_column(JSONDocument, default=dict)
    result: Mapped[Optional[dict]] = mapped_column(JSONDocument)
    error: Mapped[Optional[dict]] = mapped_column(JSONDocument)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[str] = mapped_column(String(128), default='anonymous')
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[Optional[str]] = mapped_column(String(160))
    lease_expires_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )
    created_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )
    started_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )
    finished_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )


class JobStep(Base):
    """One step of a job and its outcome (e.g. one node created)."""

    __tablename__ = 'job_steps'
    __table_args__ = (UniqueConstraint('job_id', 'name'),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(
        String(36), ForeignKey('jobs.id', ondelete='CASCADE'), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16))
    result: Mapped[Optional[dict]] = mapped_column(JSONDocument)
    error: Mapped[Optional[dict]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )


class Stack(Base):
    """A declarative multi-cloud deployment."""

    __tablename__ = 'stacks'
    __table_args__ = (
        # A name is taken until its stack is deleted.
        Index(
            'uq_stacks_live_name',
            'name',
            unique=True,
            sqlite_where=text("status != 'deleted'"),
            postgresql_where=text("status != 'deleted'"),
        ),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    name: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    template: Mapped[dict] = mapped_column(JSONDocument)
    on_failure: Mapped[str] = mapped_column(String(16), default='rollback')
    timeout: Mapped[int] = mapped_column(Integer)
    requested_by: Mapped[str] = mapped_column(String(128), default='anonymous')
    job_id: Mapped[Optional[str]] = mapped_column(String(36))
    error: Mapped[Optional[dict]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )
    deleted_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )


class StackNode(Base):
    """A node of a stack, recorded before the provider is asked for it."""

    __tablename__ = 'stack_nodes'
    __table_args__ = (
        # A stack's nodes in a state (those left to create on a cloud, say):
        # looked up before every node taken over from another share, and
        # while a stack waits for its nodes.
        Index('ix_stack_nodes_stack_state', 'stack_id', 'state', 'cloud'),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    stack_id: Mapped[str] = mapped_column(
        String(36), ForeignKey('stacks.id', ondelete='CASCADE'), index=True
    )
    group_name: Mapped[str] = mapped_column(String(64))
    index: Mapped[int] = mapped_column(Integer)
    #: The name given to the provider: finds the node after a crash.
    name: Mapped[str] = mapped_column(String(128), unique=True)
    cloud: Mapped[str] = mapped_column(String(64))
    size: Mapped[str] = mapped_column(String(255))
    image: Mapped[str] = mapped_column(String(255))
    location: Mapped[Optional[str]] = mapped_column(String(255))
    key_name: Mapped[Optional[str]] = mapped_column(String(64))
    provider_id: Mapped[Optional[str]] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16), default='planned')
    error: Mapped[Optional[dict]] = mapped_column(JSONDocument)
    public_ips: Mapped[list] = mapped_column(JSONDocument, default=list)
    private_ips: Mapped[list] = mapped_column(JSONDocument, default=list)
    job_id: Mapped[Optional[str]] = mapped_column(String(36))
    #: The job that took the node to create it (``creating``): the stack
    #: job, or the child job of it that asked the provider.
    claimed_by: Mapped[Optional[str]] = mapped_column(String(36))
    created_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )


class StackEvent(Base):
    """One entry of a stack's history."""

    __tablename__ = 'stack_events'

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    stack_id: Mapped[str] = mapped_column(
        String(36), ForeignKey('stacks.id', ondelete='CASCADE'), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    node_name: Mapped[Optional[str]] = mapped_column(String(128))
    cloud: Mapped[Optional[str]] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(String(1024))
    details: Mapped[Optional[dict]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )


class IdempotencyKey(Base):
    """The first answer to a request sent with an ``Idempotency-Key``."""

    __tablename__ = 'idempotency_keys'
    __table_args__ = (UniqueConstraint('scope', 'key'),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict] = mapped_column(JSONDocument)
    created_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, default=utcnow
    )


class InventoryItem(Base):
    """One resource of one cloud as the inventory last saw it."""

    __tablename__ = 'inventory_items'
    __table_args__ = (UniqueConstraint('cloud', 'kind', 'key'),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    cloud: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    #: The provider's id (a key pair's name).
    key: Mapped[str] = mapped_column(String(255))
    name: Mapped[Optional[str]] = mapped_column(String(255))
    state: Mapped[Optional[str]] = mapped_column(String(16))
    #: The API's value object, as a document.
    document: Mapped[dict] = mapped_column(JSONDocument)
    first_seen: Mapped[datetime.datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime.datetime] = mapped_column(UTCDateTime)
    #: Gone from the provider since then, not yet forgotten.
    missing_since: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )
    #: The provider accepted to delete it then (it may still list it).
    deleting_since: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )


class InventorySync(Base):
    """The syncs of one kind of resources of one cloud: the last one's
    outcome, the model's revision, when the next is due, and who syncs
    it now (a lease, so that one process at a time does)."""

    __tablename__ = 'inventory_syncs'
    __table_args__ = (UniqueConstraint('cloud', 'kind'),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    cloud: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    #: Grows with every change of the model of this cloud and kind.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )
    finished_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )
    #: ``ok`` or ``error``; ``None`` before the first sync.
    outcome: Mapped[Optional[str]] = mapped_column(String(16))
    error: Mapped[Optional[dict]] = mapped_column(JSONDocument)
    #: When the provider last answered a whole listing (the model's age).
    observed_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )
    next_due_at: Mapped[datetime.datetime] = mapped_column(
        UTCDateTime, index=True
    )
    burst_until: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )
    lease_owner: Mapped[Optional[str]] = mapped_column(String(160))
    lease_expires_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )


class ClusterLease(Base):
    """Work that one process of the whole cluster does at a time (the
    periodic rounds): who does it now, and until when without renewal."""

    __tablename__ = 'cluster_leases'

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[Optional[str]] = mapped_column(String(160))
    expires_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        UTCDateTime
    )
