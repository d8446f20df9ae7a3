"""A rejection may keep the recruiter's address to ask for feedback (issue 13).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 06:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rejections') as batch:
        batch.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table('rejections') as batch:
        batch.drop_column('contact_email')
