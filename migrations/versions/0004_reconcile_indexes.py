"""Indexes for reconcile: a write reads what the nudge rules look at (issue 9 item 8).

Each is a user's live rows (`deleted_at IS NULL`, on SQLite and PostgreSQL
alike) by the date or time reconcile bounds: rejections by `received_on` and
`feedback_requested_on`, applications by `applied_on` and `status_changed_on`,
breaks by `started_at` and `ended_at`, check-ins and outreach by `at`, and
outreach by contact and `at` (each contact's latest). Nudges get
`(user_id, status, sent_at)`: the scheduled ones, and those sent in the last weeks.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

LIVE = {
    'applications': [['applied_on'], ['status_changed_on']],
    'rejections': [['received_on'], ['feedback_requested_on']],
    'breaks': [['started_at'], ['ended_at']],
    'checkins': [['at']],
    'outreach': [['at'], ['contact_id', 'at']],
}


def _name(table, columns):
    return f"ix_{table}_user_{'_'.join(columns)}"


def upgrade():
    where = sa.text('deleted_at IS NULL')
    for table, indexes in LIVE.items():
        for columns in indexes:
            op.create_index(_name(table, columns), table, ['user_id', *columns], unique=False,
                            sqlite_where=where, postgresql_where=where)
    op.create_index('ix_nudges_user_status_sent', 'nudges', ['user_id', 'status', 'sent_at'],
                    unique=False)


def downgrade():
    op.drop_index('ix_nudges_user_status_sent', table_name='nudges')
    for table, indexes in LIVE.items():
        for columns in indexes:
            op.drop_index(_name(table, columns), table_name=table)
