"""Sync benchmark (not a test): does a pull cost what it returns, not the account's size?

Seeds one user with 100 records and one with 50,000, makes 10 changes for
each, then times an incremental pull of those 10 changes (POST /api/sync with
the cursor from before them) many times and prints the median server time of
each and their ratio (target: 50,000 / 100 <= 1.25). Then times a full first
pull of 5,000 records from a null cursor, page by page at the largest limit
(target: <= 1 s). On SQLite always, and on PostgreSQL when TEST_DATABASE_URL
is set (in a database of its own, dropped at the end).

    .venv/bin/python bench/sync_bench.py [--repeat 200]

"Server time" is the time of the request inside the process (Flask's test
client: routing, session, the sync service, JSON), without a network.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import insert, make_url, select, text, update  # noqa: E402

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import (Application, Checkin, Contact, Rejection,  # noqa: E402
                            VersionCounter)
from backend.services import accounts, sessions  # noqa: E402

HEADERS = {"X-Requested-With": "rebound"}
MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "migrations")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="pulls timed per user")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite", f"sqlite:///{folder}/bench.db", args.repeat)
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        with postgres_database(base) as url:
            run("postgresql", url, args.repeat)
    else:
        print("postgresql: skipped (TEST_DATABASE_URL is not set)")


def run(label, url, repeat):
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": url,
                      "RATELIMIT_ENABLED": False})
    migrate(app)
    small, large, full = (seed_user(app, n) for n in (100, 50_000, 5_000))
    analyze(app)
    clients = {}
    for name, (user_id, cookie) in (("100", small), ("50000", large)):
        client = signed_in(app, cookie)
        clients[name] = (client, ten_changes(client, user_id, app))
    times = time_pulls(clients, repeat)
    ratio = times["50000"] / times["100"]
    print(f"{label}: incremental pull of 10 changes, median server time: "
          f"100 records {times['100'] * 1000:.2f} ms, 50,000 records "
          f"{times['50000'] * 1000:.2f} ms, ratio {ratio:.2f} (target <= 1.25)")
    seconds = time_full_pull(signed_in(app, full[1]), expected=5_000)
    print(f"{label}: full first pull of 5,000 records (5 pages of 1,000): "
          f"{seconds:.3f} s median of 5 (target <= 1 s)")
    with app.app_context():
        db.engine.dispose()


def migrate(app):
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=MIGRATIONS)


def seed_user(app, count):
    """A user with `count` records spread over four entities, a tenth of them deleted."""
    with app.app_context():
        user = accounts.register(f"bench-{uuid.uuid4().hex[:10]}@example.org",
                                 "correct horse battery")
        token = sessions.start(user, "bench")
        user_id = user.id
        db.session.commit()
        now = datetime.now(timezone.utc)
        rows = {Checkin: [], Rejection: [], Application: [], Contact: []}
        for version in range(1, count + 1):
            base = {"id": uuid.uuid4(), "user_id": user_id, "version": version,
                    "created_at": now, "updated_at": now,
                    "deleted_at": now if version % 10 == 0 else None}
            kind = version % 4
            if kind == 0:
                rows[Checkin].append({**base, "at": now - timedelta(minutes=version),
                                      "mood": version % 5 + 1, "emotions": ["hopeful"],
                                      "note": "A calmer day than yesterday."})
            elif kind == 1:
                rows[Rejection].append({
                    **base, "company": f"Company {version}", "role": "Engineer",
                    "stage": "interview", "received_on": date(2026, 1, 1), "mood": 2,
                    "emotions": ["sad", "hopeful"], "feelings": "Disappointed but okay.",
                    "feedback_status": "not_requested", "thinking_traps": [],
                    "lessons": "Prepare the system design round."})
            elif kind == 2:
                rows[Application].append({
                    **base, "company": f"Company {version}", "role": "Engineer",
                    "url": "https://example.org/jobs/1", "applied_on": date(2026, 1, 1),
                    "status": "applied", "status_changed_on": date(2026, 1, 1)})
            else:
                rows[Contact].append({**base, "name": f"Friend {version}",
                                      "relationship": "friend", "channel": "email",
                                      "handle": "friend@example.org"})
        for model, batch in rows.items():
            for start in range(0, len(batch), 5_000):
                db.session.execute(insert(model), batch[start:start + 5_000])
        db.session.execute(update(VersionCounter).where(VersionCounter.user_id == user_id)
                           .values(seq=count))
        db.session.commit()
        db.session.remove()
    return user_id, cookie_for(app, token)


def analyze(app):
    with app.app_context():
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def cookie_for(app, token):
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": token, "_fresh": True, "_permanent": True})


def signed_in(app, cookie):
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return client


def post_sync(client, body):
    response = client.post("/api/sync", json=body, headers=HEADERS)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def ten_changes(client, user_id, app):
    """Edit 10 records through the protocol; return the cursor from before them."""
    with app.app_context():
        cursor = db.session.execute(select(VersionCounter.seq).where(
            VersionCounter.user_id == user_id)).scalar_one()
        db.session.remove()
    items = [{"mutation_id": str(uuid.uuid4()), "entity": "checkins", "op": "upsert",
              "id": str(uuid.uuid4()), "fields": {"mood": 4, "note": f"change {n}"}}
             for n in range(10)]
    answer = post_sync(client, {"cursor": cursor, "mutations": items})
    assert len(answer["changes"]) == 10
    return cursor


def time_pulls(clients, repeat):
    """Median time per user, the users' pulls alternating so drift hits both alike."""
    samples = {name: [] for name in clients}
    for round_ in range(repeat + 10):
        for name, (client, cursor) in clients.items():
            started = time.perf_counter()
            answer = post_sync(client, {"cursor": cursor, "mutations": []})
            elapsed = time.perf_counter() - started
            assert len(answer["changes"]) == 10 and not answer["has_more"]
            if round_ >= 10:  # the first rounds warm up
                samples[name].append(elapsed)
    return {name: statistics.median(values) for name, values in samples.items()}


def time_full_pull(client, expected):
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        cursor, received = None, 0
        while True:
            answer = post_sync(client, {"cursor": cursor, "mutations": [], "limit": 1000})
            received += len(answer["changes"])
            cursor = answer["cursor"]
            if not answer["has_more"]:
                break
        samples.append(time.perf_counter() - started)
        assert received == expected, received
    return statistics.median(samples)


class postgres_database:
    """A database of its own on the TEST_DATABASE_URL server, dropped at the end."""

    def __init__(self, base):
        self.url = make_url(base)
        self.name = f"rebound_bench_{uuid.uuid4().hex[:10]}"
        self.admin = self.url.set(drivername="postgresql").render_as_string(hide_password=False)

    def __enter__(self):
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self.url.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc):
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
