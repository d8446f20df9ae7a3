"""One nudge row per user and dedupe key: the index that was plain becomes unique.

Reconcile already reuses the row of a key (under the user's write lock); the
unique index makes a second row impossible even if that discipline slips.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 02:30:00

"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('nudges', schema=None) as batch_op:
        batch_op.drop_index('ix_nudges_user_dedupe')
        batch_op.create_index('uq_nudges_user_dedupe', ['user_id', 'dedupe_key'], unique=True)


def downgrade():
    with op.batch_alter_table('nudges', schema=None) as batch_op:
        batch_op.drop_index('uq_nudges_user_dedupe')
        batch_op.create_index('ix_nudges_user_dedupe', ['user_id', 'dedupe_key'], unique=False)
