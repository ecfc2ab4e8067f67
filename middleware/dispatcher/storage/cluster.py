"""Cluster leases: which process of the whole cluster does a piece of
periodic work now.

A lease is a row of ``cluster_leases``: a name, its owner and when it
expires.  A process holds it while it renews it in time; when its owner
stops renewing (the process or its host is gone) any process takes it once
it has expired.  The database decides, so this holds across hosts, on
SQLite and PostgreSQL alike.
"""

import datetime

from sqlalchemy import or_, update

from dispatcher.storage.models import ClusterLease
from dispatcher.storage.types import utcnow


def hold(database, name, owner, seconds, steal_from=None):
    """Take or renew the lease ``name`` for ``seconds``; whether ``owner``
    holds it now.  ``steal_from``: an owner known to be gone, whose lease
    is taken before it expires."""
    now = utcnow()
    with database.session(write=True) as session:
        session.execute(
            database.insert(ClusterLease)
            .values(name=name, owner=None, expires_at=None)
            .on_conflict_do_nothing(index_elements=['name'])
        )
        taken = session.execute(
            update(ClusterLease)
            .where(
                ClusterLease.name == name,
                or_(
                    ClusterLease.owner.is_(None),
                    ClusterLease.owner == owner,
                    ClusterLease.expires_at.is_(None),
                    ClusterLease.expires_at <= now,
                    ClusterLease.owner == steal_from,
                ),
            )
            .values(
                owner=owner,
                expires_at=now + datetime.timedelta(seconds=seconds),
            )
        ).rowcount
    return taken == 1


def release(database, name, owner):
    """Give up the lease ``name`` if ``owner`` holds it (another process
    may take it at once)."""
    with database.session(write=True) as session:
        session.execute(
            update(ClusterLease)
            .where(ClusterLease.name == name, ClusterLease.owner == owner)
            .values(owner=None, expires_at=None)
        )


def holder(database, name):
    """``(owner, expires_at)`` of the lease ``name``, or ``(None, None)``."""
    with database.session() as session:
        row = session.get(ClusterLease, name)
        if row is None:
            return None, None
        return row.owner, row.expires_at
