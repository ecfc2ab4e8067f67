"""Jobs and their steps.

Revision ID: 0001_jobs
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from dispatcher.storage.types import JSONDocument, UTCDateTime

revision = '0001_jobs'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('id', sa.String(36), nullable=False),
        sa.Column('kind', sa.String(64), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('target_type', sa.String(32), nullable=True),
        sa.Column('target_id', sa.String(36), nullable=True),
        sa.Column('params', JSONDocument, nullable=False),
        sa.Column('result', JSONDocument, nullable=True),
        sa.Column('error', JSONDocument, nullable=True),
        sa.Column('progress_done', sa.Integer(), nullable=False),
        sa.Column('progress_total', sa.Integer(), nullable=False),
        sa.Column('requested_by', sa.String(128), nullable=False),
        sa.Column('cancel_requested', sa.Boolean(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('lease_owner', sa.String(160), nullable=True),
        sa.Column('lease_expires_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('started_at', UTCDateTime(), nullable=True),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.Column('finished_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_jobs')),
        sa.UniqueConstraint('id', name=op.f('uq_jobs_id')),
    )
    op.create_index(op.f('ix_jobs_status'), 'jobs', ['status'])
    op.create_index(op.f('ix_jobs_target_id'), 'jobs', ['target_id'])
    op.create_table(
        'job_steps',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('result', JSONDocument, nullable=True),
        sa.Column('error', JSONDocument, nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['job_id'],
            ['jobs.id'],
            ondelete='CASCADE',
            name=op.f('fk_job_steps_job_id_jobs'),
        ),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_job_steps')),
        sa.UniqueConstraint(
            'job_id', 'name', name=op.f('uq_job_steps_job_id')
        ),
    )
    op.create_index(op.f('ix_job_steps_job_id'), 'job_steps', ['job_id'])


def downgrade():
    op.drop_table('job_steps')
    op.drop_table('jobs')
