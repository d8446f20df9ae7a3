"""The worker's tables updated in place; the claim's index over unsent nudges (issue 14).

A claim sets `lease_until` and `attempts`, a send sets a subscription's
`last_success_at`, and every write bumps a user's `version_counters.seq`: none
of those columns is indexed, so PostgreSQL can write the new row version on the
same page without touching an index (a HOT update), but only when the page has
room. Fresh pages are filled to the brim, so every such update went to another
page and added an entry to each of the table's indexes (six for nudges): about
a third of the database's work per nudge sent. `fillfactor = 80` leaves a fifth
of each page free for that. It applies to pages written from now on; `VACUUM
FULL <table>` repacks older ones if ever wanted (it locks the table).

The claim's index was `(status, due_at)` over every nudge ever planned; the
claim only reads scheduled ones. `(due_at) WHERE status = 'scheduled'` holds
just those, and a nudge leaves it when it is sent instead of gaining another
entry. The claim names the status as a literal, so the planners (SQLite's and
PostgreSQL's generic plans) can match the index's condition.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 22:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

UPDATED_IN_PLACE = ('nudges', 'push_subscriptions', 'version_counters')
SCHEDULED = sa.text("status = 'scheduled'")


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in UPDATED_IN_PLACE:
            op.execute(f'ALTER TABLE {table} SET (fillfactor = 80)')
    op.create_index('ix_nudges_due_scheduled', 'nudges', ['due_at'], unique=False,
                    sqlite_where=SCHEDULED, postgresql_where=SCHEDULED)
    op.drop_index('ix_nudges_status_due', table_name='nudges')


def downgrade():
    op.create_index('ix_nudges_status_due', 'nudges', ['status', 'due_at'], unique=False)
    op.drop_index('ix_nudges_due_scheduled', table_name='nudges')
    if op.get_bind().dialect.name == 'postgresql':
        for table in UPDATED_IN_PLACE:
            op.execute(f'ALTER TABLE {table} RESET (fillfactor)')
