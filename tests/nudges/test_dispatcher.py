"""The dispatcher against a fake push service that decrypts what it gets (SPEC §6)."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import Nudge, PushSubscription, utcnow
from backend.nudges import dispatcher
from backend.push import sender_for
from tests.factories import make_nudge
from tests.helpers import sign_up


def run(app, now=None):
    with app.app_context():
        try:
            return dispatcher.run_once(now=now, sender=sender_for(app))
        finally:
            db.session.remove()


def subscribe(signed_in, *devices):
    for device in devices:
        assert signed_in.post("/api/push/subscriptions", device.subscription()).status_code == 201


def endpoints(app):
    with app.app_context():
        return set(db.session.execute(select(PushSubscription.endpoint)).scalars())


def test_a_due_nudge_is_delivered_once_to_every_device_encrypted(app, signed_in, push_service,
                                                                 nudge_of):
    phone, laptop = push_service.device("phone"), push_service.device("laptop")
    subscribe(signed_in, phone, laptop)
    nudge_id = make_nudge(app, signed_in.user["id"])
    before = nudge_of(nudge_id).version
    assert run(app) == {"sent": 1}
    assert run(app) == {}
    for device in (phone, laptop):
        [message] = device.received()
        assert message == {"web_push": 8030, "mutable": True, "notification": {
            "title": "Ready for one more?", "body": "One more application, no rush.",
            "navigate": "http://127.0.0.1:5000/applications", "lang": "en", "tag": "apply",
            "silent": False,
            "data": {"kind": "apply", "nudge_id": str(nudge_id), "url": "/applications"}}}
    assert all(headers["topic"] == "apply" for _p, headers, _b in push_service.messages)
    row = nudge_of(nudge_id)
    assert row.status == "sent" and row.sent_at and row.attempts == 1 and row.version > before
    assert signed_in.get(f"/api/nudges/{nudge_id}").get_json()["status"] == "sent"


def test_a_batch_is_sent_several_nudges_at_once_each_exactly_once(app, push_service, nudge_of):
    from backend.push.sender import CONCURRENCY

    push_service.delay = 0.2  # a distant push service: sends overlap while they wait
    people = [sign_up(app) for _ in range(4)]
    ids, devices = [], {}
    for n, person in enumerate(people):
        device = push_service.device(f"person-{n}")
        subscribe(person, device)
        devices[device.path] = device
        ids += [make_nudge(app, person.user["id"], kind="apply") for _ in range(5)]
    assert run(app) == {"sent": 20}
    assert 1 < push_service.max_in_flight <= CONCURRENCY
    for device in devices.values():
        assert len(device.received()) == 5
    sent_ids = [m["notification"]["data"]["nudge_id"] for d in devices.values() for m in d.received()]
    assert sorted(sent_ids) == sorted(str(i) for i in ids)  # each once
    assert all(nudge_of(i).status == "sent" for i in ids)


def test_a_nudge_not_yet_due_waits(app, signed_in, push_service, nudge_of):
    subscribe(signed_in, push_service.device("phone"))
    nudge_id = make_nudge(app, signed_in.user["id"], due_at=utcnow() + timedelta(hours=1))
    assert run(app) == {}
    assert nudge_of(nudge_id).status == "scheduled" and push_service.messages == []


def test_gone_subscription_is_deleted_and_the_nudge_stays_in_the_inbox(app, signed_in, push_service,
                                                                       nudge_of):
    gone = push_service.device("gone")
    push_service.statuses = {gone.path: (410, {})}
    subscribe(signed_in, gone)
    nudge_id = make_nudge(app, signed_in.user["id"])
    assert run(app) == {"sent": 1}
    assert gone.endpoint not in endpoints(app)
    assert nudge_of(nudge_id).status == "sent"


def test_without_any_subscription_a_nudge_is_marked_sent_for_the_inbox(app, signed_in):
    nudge_id = make_nudge(app, signed_in.user["id"])
    assert run(app) == {"sent": 1}
    [listed] = signed_in.get("/api/nudges").get_json()
    assert listed["id"] == str(nudge_id) and listed["status"] == "sent"


def test_503_with_retry_after_is_retried_after_that_wait(app, signed_in, push_service, nudge_of):
    busy = push_service.device("busy")
    push_service.statuses = {busy.path: (503, {"Retry-After": "120"})}
    subscribe(signed_in, busy)
    nudge_id = make_nudge(app, signed_in.user["id"])
    now = utcnow()
    assert run(app, now) == {"retry": 1}
    row = nudge_of(nudge_id)
    assert row.status == "scheduled" and row.attempts == 1
    assert row.next_attempt_at == now + timedelta(seconds=120)
    assert run(app, now + timedelta(seconds=60)) == {}
    push_service.statuses = {}
    assert run(app, now + timedelta(seconds=121)) == {"sent": 1}
    assert len(busy.received()) == 1


def test_five_failed_tries_leave_the_nudge_failed(app, signed_in, push_service, nudge_of):
    broken = push_service.device("down")
    push_service.statuses = {broken.path: (500, {})}
    subscribe(signed_in, broken)
    nudge_id = make_nudge(app, signed_in.user["id"])
    now, results = utcnow(), []
    for _ in range(5):
        results.append(run(app, now))
        row = nudge_of(nudge_id)
        now = max(now, row.next_attempt_at or now) + timedelta(seconds=1)
    assert results == [{"retry": 1}] * 4 + [{"failed": 1}]
    row = nudge_of(nudge_id)
    assert row.status == "failed" and row.attempts == 5
    assert run(app, now + timedelta(hours=1)) == {}
    with app.app_context():  # a 5xx never disables the subscription
        assert db.session.execute(select(PushSubscription.disabled_at)).scalar_one() is None


def test_backoff_doubles_between_tries(app, signed_in, push_service, nudge_of):
    down = push_service.device("down")
    push_service.statuses = {down.path: (500, {})}
    subscribe(signed_in, down)
    nudge_id = make_nudge(app, signed_in.user["id"])
    now, waits = utcnow(), []
    for _ in range(3):
        run(app, now)
        next_at = nudge_of(nudge_id).next_attempt_at
        waits.append((next_at - now).total_seconds())
        now = next_at
    assert waits == [30, 60, 120]


def test_an_expired_lease_is_claimed_again(app, signed_in, push_service, nudge_of):
    phone = push_service.device("phone")
    subscribe(signed_in, phone)
    nudge_id = make_nudge(app, signed_in.user["id"])
    now = utcnow()
    with app.app_context():
        [claimed] = dispatcher.claim(now)  # ...and this worker dies before sending
    assert claimed.id == nudge_id
    assert run(app, now + timedelta(minutes=1)) == {}
    assert run(app, now + timedelta(minutes=3)) == {"sent": 1}
    assert len(phone.received()) == 1 and nudge_of(nudge_id).attempts == 2


def test_a_nudge_more_than_12_hours_overdue_is_cancelled_not_sent(app, signed_in, push_service,
                                                                  nudge_of):
    phone = push_service.device("phone")
    subscribe(signed_in, phone)
    nudge_id = make_nudge(app, signed_in.user["id"], due_at=utcnow() - timedelta(hours=13))
    assert run(app) == {}
    assert nudge_of(nudge_id).status == "cancelled" and phone.received() == []


def test_a_dismissed_nudge_is_not_sent(app, signed_in, push_service, nudge_of):
    phone = push_service.device("phone")
    subscribe(signed_in, phone)
    nudge_id = make_nudge(app, signed_in.user["id"])
    signed_in.patch(f"/api/nudges/{nudge_id}", {"dismissed": True})
    run(app)
    assert nudge_of(nudge_id).status == "cancelled" and phone.received() == []


def test_two_dispatchers_never_claim_one_nudge_twice(app, signed_in):
    for _ in range(60):
        make_nudge(app, signed_in.user["id"])
    claimed, start = [[], []], threading.Barrier(2)

    def worker(mine):
        with app.app_context():
            start.wait()
            while batch := dispatcher.claim(limit=7):
                mine.extend(n.id for n in batch)
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(c,)) for c in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    first, second = claimed
    assert len(first) + len(second) == 60 and len(set(first) | set(second)) == 60
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert first and second  # SKIP LOCKED lets both make progress


def test_run_once_command_sends_what_is_due(app, runner, signed_in, push_service):
    phone = push_service.device("phone")
    subscribe(signed_in, phone)
    make_nudge(app, signed_in.user["id"])
    result = runner.invoke(args=["nudges", "run-once", "--no-sweep"])
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output and len(phone.received()) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_worker_stops_cleanly_on_sigterm(app, database_url, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "REBOUND_ENV": "testing", "DATABASE_URL": database_url,
           "FLASK_VAPID_PRIVATE_KEY": app.config["VAPID_PRIVATE_KEY"]}
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "backend", "nudges", "work", "--interval", "0.2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Wait for the worker to say it handles SIGTERM (start-up time varies with load),
    # then let it run a few rounds.
    started = []
    while (line := worker.stdout.readline()) and "Nudge worker started." not in line:
        started.append(line)
    assert line, "".join(started)
    time.sleep(1)
    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=10)
    assert worker.returncode == 0, output
    assert "Nudge worker stopped." in output


def test_a_nudge_whose_lease_ran_out_before_its_turn_is_left_for_the_next_claim(
        app, signed_in, push_service, nudge_of):
    phone = push_service.device("phone")
    subscribe(signed_in, phone)
    nudge_id = make_nudge(app, signed_in.user["id"], due_at=utcnow() - timedelta(minutes=10))
    long_ago = utcnow() - timedelta(minutes=5)
    with app.app_context():
        batch = dispatcher.claim(long_ago)  # a batch so slow its lease is already over
        assert [n.id for n in batch] == [nudge_id]
        assert dispatcher.deliver(batch, sender_for(app)) == []
        db.session.remove()
    assert phone.received() == [] and nudge_of(nudge_id).status == "scheduled"
    assert run(app) == {"sent": 1}


def statements_of_a_round(app, people, per_person, push_service):
    """The SQL statements one dispatcher round runs for people × per_person due nudges."""
    from sqlalchemy import event

    for n, person in enumerate(people):
        subscribe(person, push_service.device(f"p{len(people)}-{n}"))
        for _ in range(per_person):
            make_nudge(app, person.user["id"])
    statements = []
    with app.app_context():
        engine = db.engine

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert run(app) == {"sent": len(people) * per_person}
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return statements


def test_a_batch_is_claimed_sent_and_recorded_in_as_many_statements_whatever_its_size(
        app, push_service, nudge_of):
    # Two people with a nudge each, then six people with three each: the same statements
    # (claim, subscriptions, one counter bump per number of nudges a user has, the
    # subscriptions' and nudges' rows in bulk), not two commits per nudge.
    from tests.push.support import sign_up as sign_up_from_an_address_of_their_own

    people = [sign_up_from_an_address_of_their_own(app) for _ in range(8)]
    small = statements_of_a_round(app, people[:2], 1, push_service)
    large = statements_of_a_round(app, people[2:], 3, push_service)
    assert len(large) == len(small), (small, large)
    assert sum("version_counters" in s and s.lstrip().upper().startswith("UPDATE")
               for s in large) == 1


def test_a_stopping_round_records_the_batch_on_the_wire_and_gives_back_the_next(
        app, signed_in, push_service, nudge_of):
    subscribe(signed_in, push_service.device("phone"))
    ids = [make_nudge(app, signed_in.user["id"], due_at=utcnow() - timedelta(minutes=n))
           for n in range(6)]
    with app.app_context():
        try:
            counts = dispatcher.run_once(batch_size=4, sender=sender_for(app),  # halves of 2
                                         keep_going=lambda: False)  # SIGTERM came
        finally:
            db.session.remove()
    assert counts == {"sent": 2}
    rows = [nudge_of(n) for n in ids]
    assert sorted(r.status for r in rows) == ["scheduled"] * 4 + ["sent"] * 2
    # the half claimed while the first was on the wire is free at once, its attempt not counted
    assert all(r.lease_until is None and r.attempts == 0 for r in rows if r.status == "scheduled")
    assert run(app) == {"sent": 4}
    assert len(push_service.messages) == 6


def test_the_claim_reads_the_index_of_unsent_nudges(app):
    # The status is a literal in the claim, so the planners can match the partial index
    # (migration 0007) even with a generic plan, where a parameter could be any status.
    query = (select(Nudge.id).where(dispatcher._claimable(utcnow()))
             .order_by(Nudge.due_at).limit(250))
    with app.app_context():
        connection = db.session.connection()
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            compiled = query.with_for_update(skip_locked=True).compile(connection)
            sql = str(compiled)
            for n, name in enumerate(compiled.params, 1):
                sql = sql.replace(f"%({name})s", f"${n}")
            connection.exec_driver_sql(f"PREPARE claim_plan AS {sql}")
            plan = connection.exec_driver_sql(
                "EXPLAIN EXECUTE claim_plan(now(), now(), now(), 250)").scalars().all()
        else:
            compiled = query.compile(connection)
            raw = connection.connection.dbapi_connection
            plan = [row[-1] for row in raw.execute(
                f"EXPLAIN QUERY PLAN {compiled}",
                [utcnow().replace(tzinfo=None).isoformat(sep=" ")] * 3 + [250, 0])]
        db.session.rollback()
    assert any("ix_nudges_due_scheduled" in line for line in plan), plan
