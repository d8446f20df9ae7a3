"""A push subscription belongs to the session that registered it.

`push_subscriptions.session_id` references `sessions.id` with ON DELETE
CASCADE, so whatever ends a session (logout, revoking it, a password change
or reset, account deletion) deletes its device's subscription in the database
itself, with no code path to forget.

Rows from before this revision name no session, and which of the user's
devices made each is not known. They are deleted: a signed-out or lost device
must stop getting reminders, and a signed-in one registers its subscription
again on its next start (SPEC §6: the app upserts `getSubscription()` on every
start), tied to its session this time. The column stays nullable only so it
can be added to a filled table; every row the API writes has a session.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text("DELETE FROM push_subscriptions"))
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_push_subscriptions_session_id'), ['session_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_push_subscriptions_session_id_sessions'),
                                    'sessions', ['session_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_push_subscriptions_session_id_sessions'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_session_id'))
        batch_op.drop_column('session_id')
