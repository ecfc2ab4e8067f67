"""Cluster leases: periodic work done by one process of the cluster.

Revision ID: 0005_cluster_leases
Revises: 0004_inventory
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

from dispatcher.storage.types import UTCDateTime

revision = '0005_cluster_leases'
down_revision = '0004_inventory'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cluster_leases',
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('owner', sa.String(160), nullable=True),
        sa.Column('expires_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_cluster_leases')),
    )


def downgrade():
    op.drop_table('cluster_leases')
