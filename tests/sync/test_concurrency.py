"""Concurrent writers and a puller: no change is ever skipped.

The interleaving that breaks a plain shared sequence (SPEC §5, FACTS.md): T1
takes version 1, T2 takes version 2 and commits, a puller reads and moves its
cursor to 2, then T1 commits version 1, which the puller never asks for again.
The same script runs against the per-user counter row, where T2 cannot take a
version until T1 commits, and against a shared sequence, where it does skip.
"""
import threading
import time
import uuid

import psycopg
import pytest
from sqlalchemy import make_url

from backend.extensions import db
from backend.models import User
from backend.services import records
from tests.factories import mutation

from .devices import FlaskTransport, new_user_with_sessions

WAIT = 10  # at most this long for a step; a blocked writer is seen in pg_stat_activity


def _postgres_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL (row locks and sequences across connections)")


def _dsn(app):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def waiting_on_a_lock(dsn):
    """How many sessions of this database wait for a lock right now."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            "current_database() AND wait_event_type = 'Lock'").fetchone()[0]


def committed_or_blocked(writer, dsn):
    """Wait until the writer has committed or waits for a lock; True if it is blocked.

    Decided by PostgreSQL, not by a timer, so a slow machine cannot flip the answer.
    """
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if writer.committed.is_set():
            return False
        if waiting_on_a_lock(dsn):
            return True
        time.sleep(0.01)
    raise AssertionError("the second writer neither committed nor waited for a lock")


class Writer(threading.Thread):
    """Runs write(), then waits for its turn to commit, then commit()."""

    def __init__(self, write, commit, setup=None):
        super().__init__(daemon=True)
        self._write, self._commit, self._setup = write, commit, setup
        self.may_commit = threading.Event()
        self.wrote = threading.Event()
        self.committed = threading.Event()
        self.version = None
        self.error = None

    def run(self):
        try:
            context = self._setup() if self._setup else None
            self.version = self._write(context)
            self.wrote.set()
            self.may_commit.wait(10)
            self._commit(context)
            self.committed.set()
        except BaseException as exc:  # reported by the test
            self.error = exc
            self.wrote.set()
            self.committed.set()


def run_interleaving(make_writer, pull, dsn):
    """T1 writes; T2 writes and commits at once; pull; T1 commits; pull again.

    Returns (versions the puller saw, versions committed, whether T2 was blocked).
    """
    first, second = make_writer(), make_writer()
    first.start()
    assert first.wrote.wait(WAIT) and first.error is None, first.error
    second.may_commit.set()
    second.start()
    second_blocked = committed_or_blocked(second, dsn)
    assert second.error is None, second.error
    seen, cursor = pull(0)
    assert not first.committed.is_set()  # the pull ran while T1 was still open
    first.may_commit.set()
    assert first.committed.wait(WAIT) and first.error is None, first.error
    assert second.committed.wait(WAIT) and second.error is None, second.error
    more, cursor = pull(cursor)
    return seen + more, sorted([first.version, second.version]), second_blocked


def test_per_user_counter_never_lets_a_puller_skip_a_later_commit(app):
    _postgres_only(app)
    user_id, [cookie] = new_user_with_sessions(app, 1)
    puller = FlaskTransport(app, cookie)

    def setup():
        context = app.app_context()
        context.push()
        return context

    def write(context):
        row = records.upsert(db.session.get(User, user_id), "checkins", uuid.uuid4(),
                             {"mood": 3})
        return row.version

    def commit(context):
        db.session.commit()
        db.session.remove()
        context.pop()

    def pull(cursor):
        status, answer = puller.sync({"cursor": cursor, "mutations": []})
        assert status == 200, answer
        return [c["version"] for c in answer["changes"]], answer["cursor"]

    seen, committed, blocked = run_interleaving(lambda: Writer(write, commit, setup), pull,
                                                _dsn(app))
    assert blocked, "the second writer should wait for the first one's counter row lock"
    assert committed == [1, 2]
    assert sorted(seen) == committed
    assert sorted(pull(0)[0]) == committed


def test_shared_sequence_does_skip_under_the_same_interleaving(app):
    _postgres_only(app)
    dsn = _dsn(app)
    table = f"demo_shared_seq_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"CREATE TABLE {table} (version bigserial PRIMARY KEY, note text)")
    try:
        def setup():
            return psycopg.connect(dsn)

        def write(conn):
            return conn.execute(f"INSERT INTO {table} (note) VALUES ('x') RETURNING version"
                                ).fetchone()[0]

        def commit(conn):
            conn.commit()
            conn.close()

        def pull(cursor):
            with psycopg.connect(dsn, autocommit=True) as conn:
                versions = [r[0] for r in conn.execute(
                    f"SELECT version FROM {table} WHERE version > %s ORDER BY version",
                    (cursor,))]
            return versions, max(versions, default=cursor)

        seen, committed, blocked = run_interleaving(lambda: Writer(write, commit, setup), pull,
                                                    dsn)
        assert not blocked
        assert committed == [1, 2]
        assert seen == [2], "the puller moved past 1 before it committed: 1 is skipped"
        assert pull(0)[0] == [1, 2]  # 1 is there, but a puller at cursor 2 never asks for it
    finally:
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(f"DROP TABLE {table}")


def test_concurrent_syncs_of_one_user_lose_nothing(app):
    """Four devices push at once while a fifth pulls with a small limit."""
    user_id, cookies = new_user_with_sessions(app, 5)
    writers = [FlaskTransport(app, cookie) for cookie in cookies[:4]]
    puller = FlaskTransport(app, cookies[4])
    expected, errors = set(), []
    done = threading.Event()

    def push(transport):
        try:
            for _ in range(8):
                items = [mutation("checkins", fields={"mood": 2}) for _ in range(2)]
                status, answer = transport.sync({"cursor": None, "mutations": items,
                                                 "limit": 1})
                assert status == 200, answer
                assert len(answer["applied"]) == 2
                expected.update(m["id"] for m in items)
        except BaseException as exc:
            errors.append(exc)

    seen, cursor = {}, None

    def pull_once():
        nonlocal cursor
        status, answer = puller.sync({"cursor": cursor, "mutations": [], "limit": 3})
        assert status == 200, answer
        for change in answer["changes"]:
            seen[change["id"]] = change["version"]
        cursor = answer["cursor"]
        return answer["has_more"]

    threads = [threading.Thread(target=push, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        pull_once()
        # Pull often, but do not spin: a tight loop in this process starves the writer
        # threads of the GIL while one holds SQLite's write lock, and the others then
        # wait past SQLite's 5 s busy timeout (503), which tests the machine, not sync.
        time.sleep(0.005)
    for thread in threads:
        thread.join()
    done.set()
    while pull_once():
        pass
    assert errors == []
    assert set(seen) == expected and len(expected) == 64
    assert sorted(seen.values()) == list(range(1, 65))


def test_the_same_mutation_sent_by_two_requests_at_once_applies_once(app, count_rows):
    """A retry racing the original: the counter row lock makes them take turns."""
    _, cookies = new_user_with_sessions(app, 6)
    transports = [FlaskTransport(app, cookie) for cookie in cookies]
    items = [mutation("checkins", fields={"mood": n}) for n in (1, 2, 3)]
    answers, start = [], threading.Barrier(len(transports))

    def send(transport):
        start.wait(5)
        answers.append(transport.sync({"cursor": None, "mutations": items}))

    threads = [threading.Thread(target=send, args=(t,)) for t in transports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [status for status, _ in answers] == [200] * len(transports), answers
    for _, answer in answers:
        assert answer["applied"] == [m["mutation_id"] for m in items]
    assert count_rows("checkins") == 3 and count_rows("applied_mutations") == 3
