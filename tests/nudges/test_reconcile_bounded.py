"""Reconcile reads a bounded slice of an account (the last weeks, the few older facts a
rule asks for, the nudges in play), in a handful of statements. It must plan exactly
what reading the whole account would: accounts with records from a year back to
today, breaks open and ended, contacts with and without check-ins, nudges scheduled,
sent, dismissed and cancelled, planned again days later."""
import random
import uuid
from datetime import datetime, timedelta, timezone

from backend.extensions import db
from backend.models import (Application, Break, Checkin, Contact, Nudge, Outreach, Rejection,
                            User, VersionCounter)
from backend.nudges import reconcile
from backend.nudges.planner import Snapshot, plan
from backend.settings import settings_of

START = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
ZONES = ["UTC", "Europe/Berlin", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Kolkata"]
ACCOUNTS = 14


def _moment(rng, days_back):
    return START - timedelta(days=rng.uniform(0, days_back))


def _account(rng, n):
    """A user with a random history; returns their id."""
    user = User(email=f"bounded{n}-{uuid.uuid4().hex[:6]}@example.org", password_hash="x",
                timezone=rng.choice(ZONES), settings={})
    db.session.add(user)
    db.session.flush()
    db.session.add(VersionCounter(user_id=user.id, seq=0))
    version = iter(range(1, 10_000))
    rows = []

    def synced(model, **fields):
        at = fields.pop("at_created", _moment(rng, 400))
        deleted = START if rng.random() < 0.1 else None
        row = model(id=uuid.uuid4(), user_id=user.id, version=next(version), created_at=at,
                    updated_at=at, deleted_at=deleted, **fields)
        rows.append(row)
        return row

    def day(days_back):  # often lately, sometimes long ago
        back = rng.uniform(0, 30) if rng.random() < 0.5 else rng.uniform(0, days_back)
        return (START - timedelta(days=back)).date()

    applications = []
    for _ in range(rng.randint(0, 4)):
        applied = day(300)
        applications.append(synced(Application, company="Acme", applied_on=applied,
                                   status=rng.choice(["applied", "interviewing", "rejected"]),
                                   status_changed_on=min(applied + timedelta(rng.randint(0, 40)),
                                                         START.date())))
    for _ in range(rng.randint(0, 6)):
        received = day(400)
        requested = rng.random() < 0.5
        synced(Rejection, company=rng.choice(["Acme", "Globex", "Initech"]),
               stage=rng.choice([None, "applied", "screen", "interview", "final", "offer"]),
               received_on=received, mood=rng.choice([None, 1, 2, 3, 4, 5]),
               feedback_status=rng.choice(["requested", "received"]) if requested
               else "not_requested",
               feedback_requested_on=received + timedelta(rng.randint(0, 5)) if requested else None,
               lessons=rng.choice([None, "Ask about the bar."]),
               application_id=rng.choice(applications).id if applications and rng.random() < 0.3
               else None, emotions=[], thinking_traps=[])
    open_break = False
    for _ in range(rng.randint(0, 3)):
        started = _moment(rng, rng.choice([20, 200]))
        ended = None if not open_break and rng.random() < 0.3 else started + timedelta(
            days=rng.uniform(0.5, 9))
        open_break = open_break or ended is None
        synced(Break, started_at=started, ended_at=min(ended, START) if ended else None,
               activities=[])
    contacts = [synced(Contact, name=f"Friend {k}", check_in_every_days=rng.choice(
        [None, 1, 3, 7, 14, 30]), at_created=_moment(rng, 300)) for k in range(rng.randint(0, 3))]
    for _ in range(rng.randint(0, 6) if contacts else 0):
        synced(Outreach, contact_id=rng.choice(contacts).id, at=_moment(rng, rng.choice([10, 300])))
    for _ in range(rng.randint(0, 5)):
        synced(Checkin, at=_moment(rng, rng.choice([10, 100])), mood=rng.randint(1, 5), emotions=[])
    db.session.add_all(rows)
    db.session.flush()
    db.session.execute(VersionCounter.__table__.update()
                       .where(VersionCounter.user_id == user.id).values(seq=next(version)))
    return user.id


def _everything(user, now):
    """The Snapshot of the whole account: every live record and every nudge."""
    def rows(model):
        names = reconcile._COLUMNS[model]
        return [reconcile._record(names, row) for row in db.session.execute(
            reconcile._live_rows(model), {"user_id": user.id})]
    nudges = db.session.execute(db.select(Nudge).where(Nudge.user_id == user.id,
                                                       Nudge.deleted_at.is_(None))).scalars()
    nudges = sorted(nudges, key=lambda row: (row.created_at, str(row.id)))
    return Snapshot(timezone=user.timezone, settings=settings_of(user),
                    rejections=rows(Rejection), applications=rows(Application),
                    breaks=rows(Break), contacts=rows(Contact), outreach=rows(Outreach),
                    checkins=rows(Checkin), nudges=reconcile._nudge_dicts(nudges))


def _planned(snapshot, now):
    return sorted((want.key, want.kind, want.due_at, want.title, want.body, want.url)
                  for want in plan(snapshot, now))


def _let_time_pass(rng, user_id, now):
    """Some due nudges went out (or were dismissed, or given up on) by `now`."""
    due = db.session.execute(db.select(Nudge).where(
        Nudge.user_id == user_id, Nudge.status == "scheduled", Nudge.due_at <= now)).scalars()
    for row in due:
        fate = rng.random()
        if fate < 0.6:
            row.status, row.sent_at = "sent", row.due_at
            if rng.random() < 0.3:
                row.dismissed_at = row.due_at + timedelta(hours=1)
        elif fate < 0.8:
            row.status = "failed"
        elif fate < 0.9:
            row.dismissed_at = row.due_at  # dismissed in the inbox before it went out
    db.session.flush()


def test_a_bounded_read_plans_what_reading_everything_plans(app):
    rng = random.Random(20261204)
    with app.app_context():
        users = [_account(rng, n) for n in range(ACCOUNTS)]
        db.session.commit()
        compared = with_a_plan = 0
        for user_id in users:
            now = START
            for step in range(4):
                user = db.session.get(User, user_id)
                bounded, _rows = reconcile.snapshot(user, now)
                planned = _planned(bounded, now)
                assert planned == _planned(_everything(user, now), now), (user_id, step)
                compared += 1
                with_a_plan += bool(planned)
                reconcile.reconcile(user_id, now)
                db.session.commit()
                now += timedelta(days=rng.choice([0.2, 1, 3, 9]))
                _let_time_pass(rng, user_id, now)
                db.session.commit()
        # The accounts planned something to compare (not only empty plans).
        planned = db.session.execute(db.select(db.func.count()).select_from(Nudge)).scalar()
        assert compared == ACCOUNTS * 4 and planned >= ACCOUNTS
        assert with_a_plan >= compared // 2  # most comparisons were of non-empty plans


def test_a_re_plan_reads_in_a_handful_of_statements(app):
    from sqlalchemy import event

    rng = random.Random(7)
    with app.app_context():
        user_id = _account(rng, 0)
        db.session.commit()
        statements = []
        engine = db.engine
        count = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", count)
        try:
            reconcile.snapshot(db.session.get(User, user_id), START)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        db.session.rollback()
    # scheduled nudges, the records they name (2), contacts, outreach, rejections,
    # applications, breaks, check-ins, nudges by key, sent nudges; a users select maybe.
    assert len(statements) <= 12, statements
