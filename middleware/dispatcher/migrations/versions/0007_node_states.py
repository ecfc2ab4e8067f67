"""An index of a stack's nodes by state and cloud.

The lanes of a big stack's child jobs ask, before each node they take
over from another share, whether a node of their cloud is still planned;
a stack's wait looks for the nodes not running yet.  With the index on
the stack alone, each such look read every node of the stack.

Revision ID: 0007_node_states
Revises: 0006_node_claims
Create Date: 2026-11-29
"""

from alembic import op

revision = '0007_node_states'
down_revision = '0006_node_claims'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_stack_nodes_stack_state',
        'stack_nodes',
        ['stack_id', 'state', 'cloud'],
    )


def downgrade():
    op.drop_index('ix_stack_nodes_stack_state', table_name='stack_nodes')
