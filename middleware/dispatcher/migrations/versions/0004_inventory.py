"""The inventory: every cloud's resources and the syncs that keep them.

Revision ID: 0004_inventory
Revises: 0003_auth
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from dispatcher.storage.types import JSONDocument, UTCDateTime

revision = '0004_inventory'
down_revision = '0003_auth'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'inventory_items',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('cloud', sa.String(64), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('key', sa.String(255), nullable=False),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('state', sa.String(16), nullable=True),
        sa.Column('document', JSONDocument, nullable=False),
        sa.Column('first_seen', UTCDateTime(), nullable=False),
        sa.Column('last_seen', UTCDateTime(), nullable=False),
        sa.Column('missing_since', UTCDateTime(), nullable=True),
        sa.Column('deleting_since', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_inventory_items')),
        sa.UniqueConstraint(
            'cloud', 'kind', 'key', name=op.f('uq_inventory_items_cloud')
        ),
    )
    op.create_table(
        'inventory_syncs',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('cloud', sa.String(64), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('started_at', UTCDateTime(), nullable=True),
        sa.Column('finished_at', UTCDateTime(), nullable=True),
        sa.Column('outcome', sa.String(16), nullable=True),
        sa.Column('error', JSONDocument, nullable=True),
        sa.Column('observed_at', UTCDateTime(), nullable=True),
        sa.Column('next_due_at', UTCDateTime(), nullable=False),
        sa.Column('burst_until', UTCDateTime(), nullable=True),
        sa.Column('lease_owner', sa.String(160), nullable=True),
        sa.Column('lease_expires_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_inventory_syncs')),
        sa.UniqueConstraint(
            'cloud', 'kind', name=op.f('uq_inventory_syncs_cloud')
        ),
    )
    op.create_index(
        op.f('ix_inventory_syncs_next_due_at'),
        'inventory_syncs',
        ['next_due_at'],
    )


def downgrade():
    op.drop_index(
        op.f('ix_inventory_syncs_next_due_at'), table_name='inventory_syncs'
    )
    op.drop_table('inventory_syncs')
    op.drop_table('inventory_items')
