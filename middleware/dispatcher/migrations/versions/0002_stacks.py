"""Stacks, their nodes and events, and idempotency keys.

Revision ID: 0002_stacks
Revises: 0001_jobs
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from dispatcher.storage.types import JSONDocument, UTCDateTime

revision = '0002_stacks'
down_revision = '0001_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stacks',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('id', sa.String(36), nullable=False),
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('template', JSONDocument, nullable=False),
        sa.Column('on_failure', sa.String(16), nullable=False),
        sa.Column('timeout', sa.Integer(), nullable=False),
        sa.Column('requested_by', sa.String(128), nullable=False),
        sa.Column('job_id', sa.String(36), nullable=True),
        sa.Column('error', JSONDocument, nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.Column('deleted_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_stacks')),
        sa.UniqueConstraint('id', name=op.f('uq_stacks_id')),
    )
    op.create_index(op.f('ix_stacks_status'), 'stacks', ['status'])
    op.create_index(
        'uq_stacks_live_name',
        'stacks',
        ['name'],
        unique=True,
        sqlite_where=sa.text("status != 'deleted'"),
        postgresql_where=sa.text("status != 'deleted'"),
    )
    op.create_table(
        'stack_nodes',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('id', sa.String(36), nullable=False),
        sa.Column('stack_id', sa.String(36), nullable=False),
        sa.Column('group_name', sa.String(64), nullable=False),
        sa.Column('index', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(128), nullable=False),
        sa.Column('cloud', sa.String(64), nullable=False),
        sa.Column('size', sa.String(255), nullable=False),
        sa.Column('image', sa.String(255), nullable=False),
        sa.Column('location', sa.String(255), nullable=True),
        sa.Column('key_name', sa.String(64), nullable=True),
        sa.Column('provider_id', sa.String(255), nullable=True),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('error', JSONDocument, nullable=True),
        sa.Column('public_ips', JSONDocument, nullable=False),
        sa.Column('private_ips', JSONDocument, nullable=False),
        sa.Column('job_id', sa.String(36), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['stack_id'],
            ['stacks.id'],
            ondelete='CASCADE',
            name=op.f('fk_stack_nodes_stack_id_stacks'),
        ),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_stack_nodes')),
        sa.UniqueConstraint('id', name=op.f('uq_stack_nodes_id')),
        sa.UniqueConstraint('name', name=op.f('uq_stack_nodes_name')),
    )
    op.create_index(
        op.f('ix_stack_nodes_stack_id'), 'stack_nodes', ['stack_id']
    )
    op.create_table(
        'stack_events',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('stack_id', sa.String(36), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('node_name', sa.String(128), nullable=True),
        sa.Column('cloud', sa.String(64), nullable=True),
        sa.Column('message', sa.String(1024), nullable=False),
        sa.Column('details', JSONDocument, nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['stack_id'],
            ['stacks.id'],
            ondelete='CASCADE',
            name=op.f('fk_stack_events_stack_id_stacks'),
        ),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_stack_events')),
    )
    op.create_index(
        op.f('ix_stack_events_stack_id'), 'stack_events', ['stack_id']
    )
    op.create_table(
        'idempotency_keys',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(64), nullable=False),
        sa.Column('key', sa.String(255), nullable=False),
        sa.Column('fingerprint', sa.String(64), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('body', JSONDocument, nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_idempotency_keys')),
        sa.UniqueConstraint(
            'scope', 'key', name=op.f('uq_idempotency_keys_scope')
        ),
    )


def downgrade():
    op.drop_table('idempotency_keys')
    op.drop_table('stack_events')
    op.drop_table('stack_nodes')
    op.drop_index('uq_stacks_live_name', table_name='stacks')
    op.drop_table('stacks')
