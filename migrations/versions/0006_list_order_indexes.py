"""Indexes for the lists: each entity's list order over a user's live rows (issue 14).

`GET /api/<entity>` is newest first by the entity's own date or time, then
`created_at`, then `id`; an index of `(user_id, <that>, created_at, id)` over live
rows (`deleted_at IS NULL`, on SQLite and PostgreSQL alike), read backwards, hands
page 1 over in 50 index entries instead of sorting the whole account. Where 0004
made `(user_id, <that>)` for reconcile, the new index starts with the same columns
and serves those reads too, so the shorter one is dropped (one index less to keep
on every write).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 13:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# table -> the list order's leading column (None: created_at alone)
ORDER = {
    'applications': 'applied_on',
    'rejections': 'received_on',
    'breaks': 'started_at',
    'contacts': None,
    'checkins': 'at',
    'outreach': 'at',
    'nudges': 'due_at',
}
# 0004's indexes that the list indexes start with.
REPLACED = {table: column for table, column in ORDER.items()
            if column and table != 'nudges'}


def _where():
    return sa.text('deleted_at IS NULL')


def upgrade():
    for table, column in ORDER.items():
        columns = ['user_id', *([column] if column else []), 'created_at', 'id']
        op.create_index(f'ix_{table}_user_list', table, columns, unique=False,
                        sqlite_where=_where(), postgresql_where=_where())
    for table, column in REPLACED.items():
        op.drop_index(f'ix_{table}_user_{column}', table_name=table)


def downgrade():
    for table, column in REPLACED.items():
        op.create_index(f'ix_{table}_user_{column}', table, ['user_id', column], unique=False,
                        sqlite_where=_where(), postgresql_where=_where())
    for table in ORDER:
        op.drop_index(f'ix_{table}_user_list', table_name=table)
