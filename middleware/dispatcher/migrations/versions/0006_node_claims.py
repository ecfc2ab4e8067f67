"""Node claims: which job asked a provider for a stack's node.

A child job of a big stack records itself on a node the moment it takes
it to create (``planned`` to ``creating``), whether the node was in its
own share or taken over from a sibling's, so that a job taken over after
its worker died resumes exactly the nodes it had under way.

Revision ID: 0006_node_claims
Revises: 0005_cluster_leases
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_node_claims'
down_revision = '0005_cluster_leases'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stack_nodes') as batch:
        batch.add_column(sa.Column('claimed_by', sa.String(36), nullable=True))


def downgrade():
    with op.batch_alter_table('stack_nodes') as batch:
        batch.drop_column('claimed_by')
