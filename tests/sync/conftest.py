"""Fixtures of the sync tests."""
import functools

import pytest

from .helpers import sync


@pytest.fixture
def pull_all():
    """Every change of the user from a null cursor, as {(entity, id): change}."""
    def pull(client):
        state, cursor = {}, None
        while True:
            answer = sync(client, cursor=cursor, limit=1000)
            state.update({(c["entity"], c["id"]): c for c in answer["changes"]})
            cursor = answer["cursor"]
            if not answer["has_more"]:
                return state
    return pull


@pytest.fixture
def count_rows(app):
    """How many rows a table holds, straight from the database."""
    from sqlalchemy import text

    from backend.extensions import db

    def count(table):
        with app.app_context():
            return db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    return count


@pytest.fixture
def snapshot(db_state):
    """db_state without the sessions table: a session's last_seen_at is bookkeeping, not data."""
    return functools.partial(db_state, skip={"sessions"})
