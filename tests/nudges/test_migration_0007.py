"""Migration 0007 (the claim's partial index; fillfactor 80 on the tables the worker
updates in place, PostgreSQL only) up, down and up again, on SQLite and PostgreSQL."""
import os

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from backend.extensions import db

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
TABLES = ("nudges", "push_subscriptions", "version_counters")


def nudge_indexes():
    db.session.remove()
    return {index["name"]: index["column_names"]
            for index in inspect(db.engine).get_indexes("nudges")}


def fillfactors():
    """{table: its reloptions} on PostgreSQL; None on SQLite (it has none)."""
    if db.engine.dialect.name != "postgresql":
        return None
    rows = db.session.execute(text("SELECT relname, reloptions FROM pg_class WHERE relname IN "
                                   "('nudges', 'push_subscriptions', 'version_counters')"))
    return {name: options for name, options in rows}


def test_0007_up_down_and_up_again(unmigrated_app):
    upgrade(directory=MIGRATIONS, revision="0006")
    assert nudge_indexes()["ix_nudges_status_due"] == ["status", "due_at"]
    before = fillfactors()

    upgrade(directory=MIGRATIONS, revision="0007")
    indexes = nudge_indexes()
    assert "ix_nudges_status_due" not in indexes
    assert indexes["ix_nudges_due_scheduled"] == ["due_at"]
    if before is not None:
        assert before == {table: None for table in TABLES}
        assert fillfactors() == {table: ["fillfactor=80"] for table in TABLES}
    # Partial: a sent nudge is not in it (the planners use it for the claim's literal).
    definition = db.session.execute(text(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_nudges_due_scheduled'"
        if db.engine.dialect.name == "postgresql" else
        "SELECT sql FROM sqlite_master WHERE name = 'ix_nudges_due_scheduled'")).scalar_one()
    assert "status" in definition and "'scheduled'" in definition and "WHERE" in definition

    downgrade(directory=MIGRATIONS, revision="0006")
    assert nudge_indexes()["ix_nudges_status_due"] == ["status", "due_at"]
    assert "ix_nudges_due_scheduled" not in nudge_indexes()
    assert fillfactors() == before

    upgrade(directory=MIGRATIONS)
    assert "ix_nudges_due_scheduled" in nudge_indexes()
