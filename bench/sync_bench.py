"""Sync benchmark (not a test): do a write and a pull cost what they touch, not the
account's size?

Seeds one user with 100 records and one with 50,000 (SYNC_BENCH_RECORDS), both
logging 12 records a day (so the large one holds 11 years of history and the
small one 8 days, and their recent weeks look alike): check-ins, rejections,
applications, 20 contacts (a third with a check-in cadence) and outreach to
them, and sent nudges. Planning is on, as in production (NUDGES_PLAN_ON_WRITE), so every
write re-plans the user's nudges inside its transaction. Then:

- a write + pull: one check-in upsert through POST /api/sync with the cursor
  of the previous answer (the pull returns the write and whatever nudges it
  re-planned), timed for each user, alternating; prints the median server time
  of each and their ratio (target: 50,000 / 100 <= 1.25);
- an incremental pull of 10 changes (the cursor from before them), same target;
- a full first pull of 5,000 records from a null cursor, page by page at the
  largest limit (target: <= 1 s).

On SQLite always, and on PostgreSQL when TEST_DATABASE_URL is set (in a
database of its own, dropped at the end). No test runs this file.

    .venv/bin/python bench/sync_bench.py [--repeat 200] [--writes 40]

"Server time" is the time of the request inside the process (Flask's test
client: routing, session, the sync service, reconcile, JSON), without a network.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import insert, make_url, select, text, update  # noqa: E402

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import (Application, Checkin, Contact, Nudge,  # noqa: E402
                            Outreach, Rejection, VersionCounter)
from backend.services import accounts, sessions  # noqa: E402

HEADERS = {"X-Requested-With": "rebound"}
LARGE = int(os.environ.get("SYNC_BENCH_RECORDS", "50000"))
STEP = timedelta(hours=2)  # one record every 2 hours, back from now
CONTACTS = 20  # the people one leans on: both users have 20 (and at most 500 may)
MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "migrations")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="pulls timed per user")
    parser.add_argument("--writes", type=int, default=40, help="writes timed per user")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite", f"sqlite:///{folder}/bench.db", args)
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        with postgres_database(base) as url:
            run("postgresql", url, args)
    else:
        print("postgresql: skipped (TEST_DATABASE_URL is not set)")


def run(label, url, args):
    # Planning on, as in production: the testing profile turns it off.
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": url,
                      "RATELIMIT_ENABLED": False, "NUDGES_PLAN_ON_WRITE": True})
    migrate(app)
    small, large, full = (seed_user(app, n) for n in (100, LARGE, 5_000))
    analyze(app)
    big = f"{LARGE:,}"
    writers = {name: [signed_in(app, cookie), count]
               for name, count, (_, cookie) in (("100", 100, small), (big, LARGE, large))}
    times = time_writes(writers, args.writes)
    print(f"{label}: write + pull (1 check-in upsert, planning on), median server time: "
          f"100 records {times['100'] * 1000:.2f} ms, {big} records "
          f"{times[big] * 1000:.2f} ms, ratio {times[big] / times['100']:.2f} "
          f"(target <= 1.25)")
    clients = {}
    for name, (user_id, cookie) in (("100", small), (big, large)):
        client = signed_in(app, cookie)
        clients[name] = (client, ten_changes(client, user_id, app))
    times = time_pulls(clients, args.repeat)
    ratio = times[big] / times["100"]
    print(f"{label}: incremental pull of 10 changes, median server time: "
          f"100 records {times['100'] * 1000:.2f} ms, {big} records "
          f"{times[big] * 1000:.2f} ms, ratio {ratio:.2f} (target <= 1.25)")
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
    """A user with `count` records, one every 2 hours back from now, over five kinds:
    check-ins, rejections, applications, contacts (the oldest CONTACTS of that kind;
    the rest are outreach to them, in turn) and sent reflect nudges of the rejection just before;
    a tenth of the records are deleted (nudges are never tombstoned)."""
    with app.app_context():
        user = accounts.register(f"bench-{uuid.uuid4().hex[:10]}@example.org",
                                 "correct horse battery")
        token = sessions.start(user, "bench")
        user_id = user.id
        db.session.commit()
        now = datetime.now(timezone.utc)
        rows = {Contact: [], Checkin: [], Rejection: [], Application: [], Outreach: [],
                Nudge: []}
        ids = {version: uuid.uuid4() for version in range(1, count + 1)}
        slots = [v for v in range(count, 0, -1) if v % 5 == 3]  # oldest first
        contacts = slots[:CONTACTS]
        is_contact = set(contacts)
        for version in range(1, count + 1):
            at = now - version * STEP
            base = {"id": ids[version], "user_id": user_id, "version": version,
                    "created_at": at, "updated_at": at,
                    "deleted_at": now if version % 10 == 0 else None}
            kind = version % 5
            if kind == 0:
                rows[Checkin].append({**base, "at": at, "mood": version % 5 + 1,
                                      "emotions": ["hopeful"],
                                      "note": "A calmer day than yesterday."})
            elif kind == 1:
                rows[Rejection].append({
                    **base, "company": f"Company {version}", "role": "Engineer",
                    "stage": "interview", "received_on": at.date(), "mood": version % 5 + 1,
                    "emotions": ["sad", "hopeful"], "feelings": "Disappointed but okay.",
                    "feedback_status": "not_requested", "thinking_traps": [],
                    "lessons": "Prepare the system design round." if version % 3 else None})
            elif kind == 2:
                rows[Application].append({
                    **base, "company": f"Company {version}", "role": "Engineer",
                    "url": "https://example.org/jobs/1", "applied_on": at.date(),
                    "status": "applied", "status_changed_on": at.date()})
            elif version in is_contact:
                rows[Contact].append({**base, "name": f"Friend {version}",
                                      "relationship": "friend", "channel": "email",
                                      "handle": "friend@example.org",
                                      "check_in_every_days": 30 if version % 3 == 0 else None})
            elif kind == 3:
                rows[Outreach].append({**base, "at": at, "channel": "email",
                                       "contact_id": ids[contacts[version // 5 % len(contacts)]],
                                       "note": "Coffee next week.", "mood_after": 4})
            else:
                rejection = ids[version - 3]
                rows[Nudge].append({**base, "deleted_at": None, "kind": "reflect",
                                    "title": "A minute to reflect?", "body": "Write it down.",
                                    "url": f"/rejections/{rejection}", "due_at": at,
                                    "status": "sent", "sent_at": at, "attempts": 1,
                                    "dedupe_key": f"reflect:{rejection}"})
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
    assert len(answer["changes"]) >= 10  # and the nudges they re-planned
    return cursor


def time_writes(writers, repeat):
    """Median time per user of one check-in upsert + pull from the last cursor, the
    users alternating so drift hits both alike."""
    samples = {name: [] for name in writers}
    for round_ in range(repeat + 5):
        for name, state in writers.items():
            client, cursor = state
            item = {"mutation_id": str(uuid.uuid4()), "entity": "checkins", "op": "upsert",
                    "id": str(uuid.uuid4()), "fields": {"mood": 3, "note": f"write {round_}"}}
            started = time.perf_counter()
            answer = post_sync(client, {"cursor": cursor, "mutations": [item]})
            elapsed = time.perf_counter() - started
            assert answer["applied"] == [item["mutation_id"]] and answer["changes"]
            assert not answer["has_more"]
            state[1] = answer["cursor"]
            if round_ >= 5:  # the first rounds warm up
                samples[name].append(elapsed)
    return {name: statistics.median(values) for name, values in samples.items()}


def time_pulls(clients, repeat):
    """Median time per user, the users' pulls alternating so drift hits both alike."""
    samples = {name: [] for name in clients}
    counts = {}
    for round_ in range(repeat + 10):
        for name, (client, cursor) in clients.items():
            started = time.perf_counter()
            answer = post_sync(client, {"cursor": cursor, "mutations": []})
            elapsed = time.perf_counter() - started
            assert counts.setdefault(name, len(answer["changes"])) == len(answer["changes"])
            assert not answer["has_more"]
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
