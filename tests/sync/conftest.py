"""Fixtures and settings of the sync tests.

HYPOTHESIS_PROFILE picks how hard the property tests look: `ci` (the default:
200 examples, derandomized so a CI run is repeatable), `local` (1,000 random
examples, for a run before a change to the protocol) or `quick` (25).
The settings apply to this folder's tests only.
"""
import os

import pytest
from hypothesis import HealthCheck, settings

PROFILES = {
    "ci": {"max_examples": 200, "derandomize": True},
    "local": {"max_examples": 1000},
    "quick": {"max_examples": 25},
}


def sync_settings(http=False):
    name = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    if name not in PROFILES:
        # A misspelt profile must not quietly run the CI effort instead of the one asked for.
        raise ValueError(f"HYPOTHESIS_PROFILE={name!r}: use one of {', '.join(PROFILES)}")
    chosen = dict(PROFILES[name])
    if http:
        # One test over real HTTP shows the wire works; the test client does the volume.
        chosen["max_examples"] = max(10, chosen["max_examples"] // 20)
    return settings(deadline=None, stateful_step_count=25, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                    **chosen)


def sync(client, mutations=(), cursor=None, limit=None, status=200):
    """POST /api/sync and check the status; returns the JSON body."""
    body = {"cursor": cursor, "mutations": list(mutations)}
    if limit is not None:
        body["limit"] = limit
    response = client.post("/api/sync", body)
    assert response.status_code == status, response.get_json()
    return response.get_json()


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
def snapshot(app):
    """Every row of every table, to show that a refused request changed nothing."""
    from backend.extensions import db

    def take():
        with app.app_context():
            state = {}
            for table in db.metadata.sorted_tables:
                if table.name == "sessions":
                    continue  # last_seen_at is bookkeeping, not data
                rows = db.session.execute(table.select()).all()
                state[table.name] = sorted(tuple(map(repr, row)) for row in rows)
            return state
    return take


def added_rows(before, after):
    """{table: rows added} between two snapshots; fails if any row was changed or removed
    (outside version_counters, whose one row per user a write moves on)."""
    assert set(before) == set(after)
    added = {}
    for table in before:
        old, new = set(before[table]), set(after[table])
        if table == "version_counters":
            assert len(old) == len(new), table
            continue
        assert old <= new, f"{table}: rows changed or removed: {sorted(old - new)}"
        if new - old:
            added[table] = sorted(new - old)
    return added
