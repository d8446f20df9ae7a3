"""Reconcile: make a user's scheduled nudges match what the planner wants.

Runs once per committed write (the write service marks the user, a
`before_commit` hook reconciles inside that same transaction, so REST and sync
both get it) and for every user in the worker's periodic sweep. Every nudge row
it writes takes a new version from the user's counter, so devices pull it.
"""
from flask import current_app
from sqlalchemy import event, select

from ..extensions import db
from ..models import (Application, Break, Checkin, Contact, Nudge, Outreach, Rejection,
                      User, VersionCounter, live, utcnow)
from ..settings import settings_of
from ..versions import bump_version, stamp
from .planner import Snapshot, plan

PENDING = "rebound_nudges_to_reconcile"
_COLUMNS = {
    Rejection: ("id", "company", "stage", "received_on", "mood", "feedback_status",
                "feedback_requested_on", "lessons", "application_id"),
    Application: ("id", "applied_on"),
    Break: ("id", "started_at", "ended_at"),
    Contact: ("id", "name", "check_in_every_days", "created_at"),
    Outreach: ("contact_id", "at"),
    Checkin: ("at",),
}


def init_app(app):
    """Reconcile marked users just before each commit (once per process: the
    session is shared by every app)."""
    if not event.contains(db.session, "before_commit", _before_commit):
        event.listen(db.session, "before_commit", _before_commit)


def mark(user_id):
    """Reconcile this user's nudges when the current transaction commits."""
    if current_app.config.get("NUDGES_PLAN_ON_WRITE", True):
        db.session.info.setdefault(PENDING, set()).add(user_id)


def _before_commit(session):
    pending = session.info.pop(PENDING, None)
    for user_id in sorted(pending or (), key=str):
        reconcile(user_id)


def _rows(model, user_id):
    names = _COLUMNS[model]
    result = db.session.execute(live(model, user_id, *names))
    return [{n: (str(v) if n.endswith("id") and v is not None else v)
             for n, v in zip(names, row)} for row in result]


def snapshot(user, nudge_rows):
    nudges = [{"key": n.dedupe_key, "status": n.status, "due_at": n.due_at,
               "sent_at": n.sent_at, "dismissed": n.dismissed_at is not None,
               "revivable": n.status == "cancelled" and n.updated_at < n.due_at}
              for n in nudge_rows]
    return Snapshot(timezone=user.timezone, settings=settings_of(user),
                    rejections=_rows(Rejection, user.id),
                    applications=_rows(Application, user.id), breaks=_rows(Break, user.id),
                    contacts=_rows(Contact, user.id), outreach=_rows(Outreach, user.id),
                    checkins=_rows(Checkin, user.id), nudges=nudges)


def reconcile(user_id, now=None):
    """Create missing nudges, update or cancel scheduled ones.

    Returns (created, changed, cancelled)."""
    user = db.session.get(User, user_id)
    if user is None:
        return 0, 0, 0
    now = now or utcnow()
    rows = db.session.execute(
        live(Nudge, user.id).order_by(Nudge.created_at)).scalars().all()
    by_key = {row.dedupe_key: row for row in rows}
    desired = plan(snapshot(user, rows), now)
    created = changed = cancelled = 0
    for want in desired:
        row = by_key.get(want.key)
        if row is None:
            db.session.add(Nudge(user_id=user.id, version=bump_version(user.id),
                                 created_at=now, updated_at=now, dedupe_key=want.key,
                                 kind=want.kind, title=want.title, body=want.body, url=want.url,
                                 due_at=want.due_at, status="scheduled", attempts=0))
            created += 1
        elif not _leased(row, now) and _apply(row, want):
            stamp(row, now)
            changed += 1
    wanted = {want.key for want in desired}
    for row in rows:
        if row.status == "scheduled" and row.dedupe_key not in wanted and not _leased(row, now):
            row.status, row.lease_until, row.next_attempt_at = "cancelled", None, None
            stamp(row, now)
            cancelled += 1
    db.session.flush()
    return created, changed, cancelled


def _leased(row, now):
    return row.lease_until is not None and row.lease_until > now


def _apply(row, want):
    """Bring a scheduled (or revivable cancelled) row to what is wanted; True if changed."""
    values = {"kind": want.kind, "title": want.title, "body": want.body, "url": want.url,
              "due_at": want.due_at, "status": "scheduled"}
    if row.status != "scheduled":
        values.update(attempts=0, next_attempt_at=None, sent_at=None)
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _lock_user(user_id):
    """Take the user's write lock before reading, so a reconcile running in a web
    request at the same moment cannot plan the same nudge twice: the counter row
    on PostgreSQL (a web write holds it from its bump to its commit), the
    database's write lock on SQLite."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        db.session.execute(select(VersionCounter.seq).where(VersionCounter.user_id == user_id)
                           .with_for_update())


def sweep(now=None):
    """Reconcile every user, one commit each (time alone makes some nudges due or moot)."""
    ids = db.session.execute(select(User.id)).scalars().all()
    db.session.commit()
    total = 0
    for user_id in ids:
        _lock_user(user_id)
        created, changed, cancelled = reconcile(user_id, now)
        db.session.commit()
        total += created + changed + cancelled
    return total
