"""Migration 0003 (push_subscriptions.session_id, ON DELETE CASCADE) up and down, on
SQLite and PostgreSQL, each on a database of its own that starts empty."""
import os
import uuid
from datetime import datetime, timezone

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from backend.extensions import db

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def table(name):
    return db.metadata.tables[name]  # the model's columns: give only those the revision has


def add_user_and_session(conn):
    user_id, session_id = uuid.uuid4(), uuid.uuid4()
    conn.execute(table("users").insert().values(
        id=user_id, email=f"{user_id.hex[:8]}@example.org", password_hash="x", timezone="UTC",
        settings={}, created_at=NOW, updated_at=NOW))
    conn.execute(table("version_counters").insert().values(user_id=user_id, seq=0))
    conn.execute(table("sessions").insert().values(
        id=session_id, token_hash=session_id.hex * 2, user_id=user_id, created_at=NOW,
        last_seen_at=NOW))
    return user_id, session_id


def add_subscription(conn, user_id, endpoint, session_id=None):
    columns = {"id": uuid.uuid4(), "user_id": user_id, "endpoint": endpoint, "p256dh": "p",
               "auth": "a", "created_at": NOW, "failure_count": 0}
    if session_id is not None:
        columns["session_id"] = session_id
    conn.execute(table("push_subscriptions").insert().values(**columns))


def endpoints(conn):
    return sorted(conn.execute(text("SELECT endpoint FROM push_subscriptions")).scalars())


def session_column_and_key():
    inspector = inspect(db.engine)
    columns = {c["name"]: c for c in inspector.get_columns("push_subscriptions")}
    keys = [k for k in inspector.get_foreign_keys("push_subscriptions")
            if k["constrained_columns"] == ["session_id"]]
    indexes = {i["name"] for i in inspector.get_indexes("push_subscriptions")}
    return columns.get("session_id"), keys, "ix_push_subscriptions_session_id" in indexes


def test_0003_ties_subscriptions_to_sessions_and_comes_down_again(unmigrated_app):
    upgrade(directory=MIGRATIONS, revision="0002")
    with db.engine.begin() as conn:
        user_id, session_id = add_user_and_session(conn)
        add_subscription(conn, user_id, "https://push.example.com/before")
    assert session_column_and_key() == (None, [], False)

    upgrade(directory=MIGRATIONS, revision="0003")
    column, [key], indexed = session_column_and_key()
    assert column["nullable"] is True
    assert key["referred_table"] == "sessions" and key["referred_columns"] == ["id"]
    assert key["options"].get("ondelete") == "CASCADE"
    assert indexed
    with db.engine.begin() as conn:
        assert endpoints(conn) == []  # rows from before name no session: deleted
        add_subscription(conn, user_id, "https://push.example.com/phone", session_id)
        _user, other_session = add_user_and_session(conn)
        add_subscription(conn, _user, "https://push.example.com/laptop", other_session)
    with db.engine.begin() as conn:  # the database cascades, no ORM involved
        conn.execute(table("sessions").delete().where(table("sessions").c.id == session_id))
        assert endpoints(conn) == ["https://push.example.com/laptop"]

    downgrade(directory=MIGRATIONS, revision="0002")
    assert session_column_and_key() == (None, [], False)
    with db.engine.begin() as conn:
        assert endpoints(conn) == ["https://push.example.com/laptop"]  # rows are kept
        conn.execute(text("DELETE FROM sessions"))
        assert endpoints(conn) == ["https://push.example.com/laptop"]  # no cascade any more

    upgrade(directory=MIGRATIONS, revision="head")
    assert session_column_and_key()[0] is not None
