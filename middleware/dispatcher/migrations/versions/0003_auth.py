"""API tokens and the audit trail.

Revision ID: 0003_auth
Revises: 0002_stacks
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from dispatcher.storage.types import JSONDocument, UTCDateTime

revision = '0003_auth'
down_revision = '0002_stacks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_tokens',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('id', sa.String(36), nullable=False),
        sa.Column('name', sa.String(64), nullable=True),
        sa.Column('role', sa.String(16), nullable=False),
        sa.Column('clouds', JSONDocument, nullable=True),
        sa.Column('prefix', sa.String(16), nullable=False),
        sa.Column('digest', sa.String(64), nullable=False),
        sa.Column('created_by', sa.String(64), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('expires_at', UTCDateTime(), nullable=True),
        sa.Column('revoked_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('id', name=op.f('uq_api_tokens_id')),
        sa.UniqueConstraint('digest', name=op.f('uq_api_tokens_digest')),
    )
    op.create_index(op.f('ix_api_tokens_prefix'), 'api_tokens', ['prefix'])
    op.create_table(
        'audit_events',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('id', sa.String(36), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('token_id', sa.String(36), nullable=True),
        sa.Column('token_name', sa.String(64), nullable=True),
        sa.Column('method', sa.String(8), nullable=False),
        sa.Column('route', sa.String(255), nullable=False),
        sa.Column('path', sa.String(1024), nullable=False),
        sa.Column('action', sa.String(128), nullable=False),
        sa.Column('cloud', sa.String(64), nullable=True),
        sa.Column('resource_id', sa.String(255), nullable=True),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_events')),
        sa.UniqueConstraint('id', name=op.f('uq_audit_events_id')),
    )
    op.create_index(
        op.f('ix_audit_events_created_at'), 'audit_events', ['created_at']
    )
    op.create_index(
        op.f('ix_audit_events_token_id'), 'audit_events', ['token_id']
    )
    op.create_index(op.f('ix_audit_events_cloud'), 'audit_events', ['cloud'])


def downgrade():
    op.drop_table('audit_events')
    op.drop_table('api_tokens')
