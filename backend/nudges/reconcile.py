"""Reconcile: make a user's scheduled nudges match what the planner wants.

Runs once per committed write (the write service marks the user, a
`before_commit` hook reconciles inside that same transaction, so REST and sync
both get it) and for every user in the worker's periodic sweep. Every nudge row
it writes takes a new version from the user's counter, so devices pull it.

It reads what the rules can look at, not the whole account, through indexes on
the user's live rows (docs/nudges.md, "Reconcile: when it runs"): the records of
the last LOOKBACK days, the few older facts a rule asks for (the latest two
applications, each contact's latest outreach and the latest of all, the active
break), the records a still-scheduled nudge is about (from AROUND days before
them), and of the nudges: the scheduled ones, the sent ones that count against
the caps, and those under the keys the rules give. So a write costs what the
user did lately, whatever the size of their history, and plans exactly what
reading everything would (tests/nudges/test_reconcile_bounded.py).
"""
import uuid
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, event, func, select, union_all

from ..extensions import db
from ..models import (Application, Break, Checkin, Contact, Nudge, Outreach, Rejection,
                      User, VersionCounter, live, utcnow)
from ..settings import settings_of
from ..versions import version_range
from . import rules
from .planner import Snapshot, plan
from .texts import plain_again

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
# Every column the rules can see, as a value or as a filter of what is read: a write
# that changes none of them leaves the snapshot, and so the plan, as it was.
SEEN = {model: frozenset(names) for model, names in _COLUMNS.items()}
SEEN[Application] |= {"status_changed_on"}

# How far back the rules look, from today (UTC, and a day more for any zone):
# big_picture reads this week and the two before it (from the Monday 20 days before
# this Sunday); every other rule names a moment at most 3 days after its record's
# day (7 after a feedback request), which is dropped once more than 24 h past, and
# a break after a third rejection counts the 6 days before it.
LOOKBACK = timedelta(days=23)
# A nudge still scheduled keeps its record in play however old it is: read from
# this many days before that record's day (the third-rejection week, the 3 days a
# break stays recent, a day for any zone).
AROUND = timedelta(days=8)
# Sent nudges count against the caps and the spacing of any moment placed from
# the earliest one that can be: the rolling week before it, and a day for the day cap.
CAPS_REACH = timedelta(days=8)
_KEYS_PER_QUERY = 500


def init_app(app):
    """Reconcile marked users just before each commit (once per process: the
    session is shared by every app)."""
    if not event.contains(db.session, "before_commit", _before_commit):
        event.listen(db.session, "before_commit", _before_commit)


def mark(user_id):
    """Reconcile this user's nudges when the current transaction commits."""
    if current_app.config.get("NUDGES_PLAN_ON_WRITE", True):
        db.session.info.setdefault(PENDING, set()).add(user_id)


def can_change_plan(model, changed):
    """Whether a write that changed these columns of a `model` row can change the plan
    (a created or deleted row always can)."""
    return bool(SEEN.get(model, frozenset()) & set(changed))


def _before_commit(session):
    pending = session.info.pop(PENDING, None)
    for user_id in sorted(pending or (), key=str):
        reconcile(user_id)


# Every read below is built once, with bind parameters for its values: building an ORM
# select cost more than running it on these short index ranges, fifteen times a re-plan.
_STATEMENTS = {}
_USER, _FIRST, _SINCE = bindparam("user_id"), bindparam("first"), bindparam("since")


def _statement(key, build):
    found = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS[key] = build()
    return found


def _record(names, row):
    return {n: (str(v) if n.endswith("id") and v is not None else v)
            for n, v in zip(names, row)}


def _live_rows(model):
    # On the table, not the mapped class: a Core select skips the ORM's per-run work.
    table = model.__table__
    return select(*(table.c[name] for name in _COLUMNS[model])).where(
        table.c.user_id == _USER, table.c.deleted_at.is_(None))


def _c(model):
    return model.__table__.c


# The planner's reads of records, by name: (model, the statement's builder). Each bound
# is a range of one index (an OR of them is not); the bounds of one model are one
# statement, a UNION ALL of those ranges (rows in two ranges come twice: _by_id).
def _newest(read, column, count):
    # In a subquery: SQLite allows no ORDER BY or LIMIT in a compound select's parts.
    return select(*read.order_by(column.desc()).limit(count).subquery().c)


_READS = {
    "rejections": (Rejection, lambda: union_all(
        _live_rows(Rejection).where(_c(Rejection).received_on >= _FIRST),
        _live_rows(Rejection).where(_c(Rejection).feedback_requested_on >= _FIRST))),
    "applications": (Application, lambda: union_all(
        _live_rows(Application).where(_c(Application).applied_on >= _FIRST),
        _live_rows(Application).where(_c(Application).status_changed_on >= _FIRST),
        _newest(_live_rows(Application), _c(Application).applied_on, 2))),
    "breaks": (Break, lambda: union_all(
        _live_rows(Break).where(_c(Break).ended_at.is_(None)),
        _live_rows(Break).where(_c(Break).ended_at >= _SINCE),
        _live_rows(Break).where(_c(Break).started_at >= _SINCE))),
    "check-ins": (Checkin, lambda: _live_rows(Checkin).where(_c(Checkin).at >= _SINCE)),
    # All outreach since, and the latest one before it (the latest of all when none is
    # since).
    "outreach": (Outreach, lambda: union_all(
        _live_rows(Outreach).where(_c(Outreach).at >= _SINCE),
        _newest(_live_rows(Outreach).where(_c(Outreach).at < _SINCE), _c(Outreach).at, 1))),
}


def _rows(name, params):
    """The rows of the read `name` (see _READS) as the planner's dicts; `params` gives
    the bind parameters `_USER`, `_FIRST` and `_SINCE`."""
    model, build = _READS[name]
    names = _COLUMNS[model]
    return [_record(names, row) for row in db.session.execute(_statement(name, build), params)]


def _by_id(*lists):
    """Rows read by several queries, each once."""
    return list({row["id"]: row for rows in lists for row in rows}.values())


def _back(day, delta):
    return day - delta if day > date.min + delta else date.min


def _first_day(user_id, scheduled, now):
    """The first day to read records from: LOOKBACK before today, or earlier when a
    scheduled nudge is about an older rejection or break (its key names its id)."""
    days = [_back(now.astimezone(timezone.utc).date(), LOOKBACK)]
    ids = set()
    for row in scheduled:
        for part in row.dedupe_key.split(":"):
            try:
                ids.add(uuid.UUID(part))
            except ValueError:
                continue
    if ids:
        # By primary key (the user's rows only, checked here: an index on the
        # user would be a scan of them).
        ids = {"ids": list(ids)}
        for owner, received, requested in db.session.execute(_statement(
                "rejections by id", lambda: select(
                    _c(Rejection).user_id, _c(Rejection).received_on,
                    _c(Rejection).feedback_requested_on)
                .where(_c(Rejection).id.in_(bindparam("ids", expanding=True)))), ids):
            if owner == user_id:
                days += [_back(d, AROUND) for d in (received, requested) if d is not None]
        for owner, started, ended in db.session.execute(_statement(
                "breaks by id", lambda: select(
                    _c(Break).user_id, _c(Break).started_at, _c(Break).ended_at)
                .where(_c(Break).id.in_(bindparam("ids", expanding=True)))), ids):
            if owner == user_id:
                days += [_back(t.astimezone(timezone.utc).date(), AROUND)
                         for t in (started, ended) if t is not None]
    return min(days)


def _contacts_and_outreach(user_id, since):
    """Every live contact (at most 500), and the outreach the rules read: all since
    `since`, and before it only each contact's latest and the latest of all."""
    names = _COLUMNS[Contact]

    def contacts_with_last():
        outreach = _c(Outreach)
        last = (select(func.max(outreach.at))
                .where(outreach.user_id == _USER, outreach.contact_id == _c(Contact).id,
                       outreach.deleted_at.is_(None))
                .scalar_subquery())
        return _live_rows(Contact).add_columns(last)
    params = {"user_id": user_id, "since": since}
    contacts, older = [], set()
    for row in db.session.execute(_statement("contacts", contacts_with_last), params):
        contacts.append(_record(names, row[:-1]))
        if row[-1] is not None and row[-1] < since:
            older.add((str(row[0]), row[-1]))
    found = _rows("outreach", params)
    outreach = [row for row in found if row["at"] >= since]
    if not outreach:  # then the latest before `since` is the latest of all
        older.update((row["contact_id"], row["at"]) for row in found)
    outreach += [{"contact_id": contact_id, "at": at} for contact_id, at in sorted(older)]
    return contacts, outreach


def _nudge_dicts(rows):
    return [{"key": n.dedupe_key, "status": n.status, "due_at": n.due_at,
             "sent_at": n.sent_at, "dismissed": n.dismissed_at is not None,
             "revivable": n.status == "cancelled" and n.updated_at < n.due_at}
            for n in rows]


def snapshot(user, now):
    """(the Snapshot the planner needs, the nudge rows it was given): what the rules
    can look at, read through the live-row indexes (see the module docstring)."""
    user_id = user.id
    scheduled = db.session.execute(_statement("scheduled", lambda: live(Nudge, _USER).where(
        Nudge.status == "scheduled")), {"user_id": user_id}).scalars().all()
    first = _first_day(user_id, scheduled, now)
    since = datetime.combine(first, time(), tzinfo=timezone.utc)
    contacts, outreach = _contacts_and_outreach(user_id, since)
    params = {"user_id": user_id, "first": first, "since": since}
    snap = Snapshot(
        timezone=user.timezone, settings=settings_of(user),
        rejections=_by_id(_rows("rejections", params)),
        applications=_by_id(_rows("applications", params)),
        breaks=_by_id(_rows("breaks", params)),
        contacts=contacts, outreach=outreach,
        checkins=_rows("check-ins", params))
    rows = {row.id: row for row in scheduled}
    # Under the rules' keys: the done ones are not planned again, a cancelled one revives.
    keys = sorted({c.key for c in rules.candidates(snap, ZoneInfo(user.timezone or "UTC"),
                                                     now)})
    by_keys = _statement("nudges by key", lambda: live(Nudge, _USER).where(
        Nudge.dedupe_key.in_(bindparam("keys", expanding=True))))
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        rows.update((row.id, row) for row in db.session.execute(by_keys, {
            "user_id": user_id, "keys": keys[start:start + _KEYS_PER_QUERY]}).scalars())
    earliest = min([now, *(row.due_at for row in scheduled)])
    rows.update((row.id, row) for row in db.session.execute(
        _statement("sent", lambda: live(Nudge, _USER).where(
            Nudge.status == "sent", Nudge.sent_at >= bindparam("sent_from"))),
        {"user_id": user_id, "sent_from": earliest - CAPS_REACH}).scalars())
    rows = sorted(rows.values(), key=lambda row: (row.created_at, str(row.id)))
    snap.nudges = _nudge_dicts(rows)
    return snap, rows


def reconcile(user_id, now=None):
    """Create missing nudges, update or cancel scheduled ones.

    Returns (created, changed, cancelled)."""
    user = db.session.get(User, user_id)
    if user is None:
        return 0, 0, 0
    now = now or utcnow()
    snap, rows = snapshot(user, now)
    by_key = {row.dedupe_key: row for row in rows}
    desired = plan(snap, now)
    new, touched = [], []
    for want in desired:
        row = by_key.get(want.key)
        if row is None:
            new.append(Nudge(user_id=user.id, created_at=now, updated_at=now, dedupe_key=want.key,
                             kind=want.kind, title=want.title, body=want.body, url=want.url,
                             due_at=want.due_at, status="scheduled", attempts=0))
        elif not _leased(row, now) and _apply(row, want):
            touched.append(row)
    changed = len(touched)
    wanted = {want.key for want in desired}
    for row in rows:
        if row.status == "scheduled" and row.dedupe_key not in wanted and not _leased(row, now):
            row.status, row.lease_until, row.next_attempt_at = "cancelled", None, None
            row.title, row.body = plain_again(row.title, row.body)
            touched.append(row)
    # One version bump for all of it (not one per nudge), in the order written.
    for row, version in zip([*new, *touched], version_range(user.id, len(new) + len(touched))):
        row.version, row.updated_at = version, now
    db.session.add_all(new)
    db.session.flush()
    return len(new), changed, len(touched) - changed


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
