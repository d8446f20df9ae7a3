"""The dispatcher: claim due nudges with a lease, send them, record what happened.

1. Claim, in one short transaction: `FOR UPDATE SKIP LOCKED` on PostgreSQL (so
   several workers never claim one nudge), `BEGIN IMMEDIATE` on SQLite (one
   writer at a time). A claim sets `lease_until` and counts an attempt; a nudge
   whose lease ran out (its worker died) is claimable again. Nudges more than
   12 h overdue, or dismissed before they went out, are cancelled instead.
2. Send outside any transaction, to every active subscription of the user (all
   subscriptions of the batch loaded in one query; the sender sends the whole
   batch side by side).
3. Record the whole batch's results in one short transaction, in a handful of
   statements whatever its size: the users' counters locked in one order and
   bumped once each (one version per changed nudge), the subscriptions' and the
   nudges' rows updated in bulk. Delivered to at least one device (or no device
   left to try) -> `sent` (it stays in the in-app inbox); only retryable answers
   -> try again after exponential backoff or Retry-After (at most an hour),
   whichever is longer; after 5 tries -> `failed`. One bad result cannot keep
   the others from being recorded: when the batch's transaction fails it is
   rolled back and each nudge is recorded in its own transaction instead; an
   error recording one is logged and rolled back, and that nudge is claimed
   again when its lease runs out.

Batches go in halves that overlap: while one half is on the wire, the half
before it is recorded and the next is claimed (claimed is not sent: a killed
worker's claimed half is only sent once, by whoever claims it after its lease).
So at most one batch (two halves) is ever sent and not yet recorded, and a
worker killed between sending and recording sends at most that again
(at-least-once).
"""
import logging
from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import and_, bindparam, literal_column, or_, select, text, update

from ..extensions import db
from ..models import Nudge, PushSubscription, among, utcnow
from ..push import sender_for
from ..push.sender import payload, public_url
from ..services import push_subscriptions
from ..versions import bump_versions, lock_counters, stamp

LEASE = timedelta(minutes=2)
LEASE_MARGIN = timedelta(seconds=15)  # no send starts this close to the lease's end
OVERDUE = timedelta(hours=12)
MAX_TRIES = 5
BACKOFF = timedelta(seconds=30)  # 30 s, 1 min, 2 min, 4 min between the five tries
MAX_WAIT = timedelta(hours=1)  # no answer of a push service puts a nudge off longer
# Nudges sent and not yet recorded at most: claimed, sent and recorded in halves (see
# run_once). Bigger batches spread the fixed cost of a round (two commits, the hand-over
# to the sender) thinner; a worker killed between sending and recording sends at most
# one batch again.
BATCH = 500

log = logging.getLogger(__name__)


class Claimed(NamedTuple):  # tuples: a batch makes hundreds, and they are cheaper to make
    id: object
    user_id: object
    kind: str
    title: str
    body: str
    url: str | None
    attempts: int
    lease_until: object


class Target(NamedTuple):
    id: object
    endpoint: str
    p256dh: str
    auth: str


# A literal, not a parameter: the planners can then read ix_nudges_due_scheduled,
# whose condition it is (a parameter could be any status).
_SCHEDULED = Nudge.status == literal_column("'scheduled'")


def _claimable(now):
    return and_(_SCHEDULED, Nudge.deleted_at.is_(None), Nudge.due_at <= now,
                or_(Nudge.next_attempt_at.is_(None), Nudge.next_attempt_at <= now),
                or_(Nudge.lease_until.is_(None), Nudge.lease_until <= now))


def claim(now=None, limit=100, lease=LEASE):
    """Lease up to `limit` due nudges to this worker; returns them as plain data.

    One statement: the due nudges picked (a CTE, run once: the rows it locks are
    the rows it hands over), leased and returned by the same UPDATE."""
    now = now or utcnow()
    lease_until = now + lease
    picked = select(Nudge.id).where(_claimable(now)).order_by(Nudge.due_at).limit(limit)
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            picked = picked.with_for_update(skip_locked=True)
        picked = picked.cte("picked")
        rows = conn.execute(
            update(Nudge).where(Nudge.id == picked.c.id)
            .values(lease_until=lease_until, attempts=Nudge.attempts + 1)
            .returning(Nudge.id, Nudge.user_id, Nudge.kind, Nudge.title, Nudge.body,
                       Nudge.url, Nudge.attempts, Nudge.due_at, Nudge.dismissed_at)).all()
        conn.commit()
    rows.sort(key=lambda r: r.due_at)  # RETURNING keeps no order: the most overdue first
    # Too late or dismissed: leased like the others, and cancelled right away. (Plain
    # columns only in RETURNING: SQLite 3.40 answers `dismissed_at IS NOT NULL` there
    # with 1 for every row.)
    too_late = now - OVERDUE
    claimed, late = [], []
    for r in rows:
        (late if r.dismissed_at is not None or r.due_at < too_late else claimed).append(r)
    _cancel(late, now)
    return [Claimed(r.id, r.user_id, r.kind, r.title, r.body, r.url, r.attempts, lease_until)
            for r in claimed]


def release(batch):
    """Give back claimed, unsent nudges at once (a worker stopping): no lease to wait out,
    and the attempt the claim counted is not counted."""
    if not batch:
        return
    with db.engine.connect() as conn:
        conn.execute(update(Nudge).where(among(Nudge.id, [c.id for c in batch]),
                                         Nudge.status == "scheduled")
                     .values(lease_until=None, attempts=Nudge.attempts - 1))
        conn.commit()


def _cancel(rows, now):
    """Cancel nudges too late to send (or dismissed before they went out), in one commit."""
    for r in rows:
        nudge = db.session.get(Nudge, r.id)
        if nudge is not None and nudge.status == "scheduled":
            nudge.status, nudge.lease_until, nudge.next_attempt_at = "cancelled", None, None
            stamp(nudge, now)
    if rows:
        db.session.commit()


def _targets(user_ids):
    table = PushSubscription.__table__
    rows = db.session.execute(select(table.c.user_id, table.c.id, table.c.endpoint,
                                     table.c.p256dh, table.c.auth).where(
        among(table.c.user_id, user_ids), table.c.disabled_at.is_(None)))
    targets = {}
    for user_id, *target in rows:
        targets.setdefault(user_id, []).append(Target(*target))
    db.session.rollback()  # end the read: nothing is held open while we send
    return targets


def deliver(batch, sender):
    """Send each claimed nudge to its user's devices: the whole batch in one call of
    the sender (several nudges at once, each nudge's devices side by side); no
    transaction is open here. Returns (nudge, [(target, outcome)]) in batch order,
    leaving out nudges whose lease ran short before their turn."""
    return start_delivery(batch, sender)()


def start_delivery(batch, sender):
    """`deliver`, started: the sends run on the sender's loop while the caller goes
    on; call the returned function for deliver's result."""
    if not batch:
        return list
    targets = _targets({n.user_id for n in batch})
    base_url = public_url(current_app.config)
    devices = [targets.get(n.user_id, ()) for n in batch]
    messages = [(to, payload(n.title, n.body, n.url, n.kind, str(n.id), base_url=base_url),
                 n.kind) for n, to in zip(batch, devices)]
    # A slow batch that outlives its leases starts no more sends: another worker may
    # claim those nudges now.
    deadline = min(n.lease_until for n in batch) - LEASE_MARGIN
    sending = sender.start_batch(messages, deadline)

    def delivered():
        return [(nudge, list(zip(to, outcomes)))
                for nudge, to, outcomes in zip(batch, devices, sending.result())
                if outcomes is not None]
    return delivered


def settle(nudge, outcomes, now):
    """What the sends mean for the nudge: its new (status, sent_at, next_attempt_at)."""
    actions = {outcome.action for _t, outcome in outcomes}
    if "ok" in actions or "retry" not in actions:
        return "sent", now, None
    if nudge.attempts >= MAX_TRIES:
        return "failed", None, None
    waits = [timedelta(seconds=o.retry_after) for _t, o in outcomes if o.retry_after]
    backoff = BACKOFF * 2 ** min(max(nudge.attempts - 1, 0), MAX_TRIES)
    return "scheduled", None, now + min(max([backoff, *waits]), MAX_WAIT)


def record_batch(delivered, now):
    """Keep what a batch's sends taught us, in the current transaction (the caller
    commits): a handful of statements for the whole batch. Returns each nudge's new
    status (None when it was no longer scheduled), in order."""
    lock_counters({nudge.user_id for nudge, _o in delivered})
    push_subscriptions.record_many([pair for _n, outcomes in delivered for pair in outcomes],
                                   now)
    table = Nudge.__table__
    live = set(db.session.execute(select(table.c.id).where(
        among(table.c.id, [nudge.id for nudge, _o in delivered]),
        table.c.status == "scheduled")).scalars())
    changed = [(nudge, settle(nudge, outcomes, now)) for nudge, outcomes in delivered
               if nudge.id in live]
    counts = {}
    for nudge, _settled in changed:
        counts[nudge.user_id] = counts.get(nudge.user_id, 0) + 1
    last = bump_versions(counts)
    rows = []
    for nudge, (status, sent_at, next_attempt_at) in reversed(changed):
        version = last[nudge.user_id]
        last[nudge.user_id] = version - 1
        rows.append((nudge.id, status, sent_at, next_attempt_at, version))
    if rows:
        _update_nudges(rows, now)
    statuses = {nudge.id: settled[0] for nudge, settled in changed}
    return [statuses.get(nudge.id) for nudge, _o in delivered]


def _update_nudges(rows, now):
    """Write each (id, status, sent_at, next_attempt_at, version) and end its lease.
    PostgreSQL: one UPDATE joined to the rows passed as five arrays (an executemany
    is one statement per row for the server to run: most of a batch's database
    time there); SQLite, in process, runs the executemany at about that cost."""
    if db.session.get_bind().dialect.name == "postgresql":
        ids, statuses, sent, later, versions = (list(c) for c in zip(*rows))
        db.session.execute(_UPDATE_FROM_ARRAYS, {"ids": ids, "statuses": statuses,
                                                 "sent": sent, "later": later,
                                                 "versions": versions, "now": now})
        return
    db.session.execute(_UPDATE_EACH, [
        {"b_id": id_, "b_status": status, "b_sent_at": sent_at, "b_next": next_attempt_at,
         "b_version": version, "b_now": now}
        for id_, status, sent_at, next_attempt_at, version in rows])


_UPDATE_EACH = update(Nudge.__table__).where(Nudge.__table__.c.id == bindparam("b_id")).values(
    status=bindparam("b_status"), sent_at=bindparam("b_sent_at"),
    next_attempt_at=bindparam("b_next"), lease_until=None,
    version=bindparam("b_version"), updated_at=bindparam("b_now"))
_UPDATE_FROM_ARRAYS = text(
    "UPDATE nudges SET status = given.status, sent_at = given.sent_at,"
    " next_attempt_at = given.next_attempt_at, version = given.version,"
    " lease_until = NULL, updated_at = :now"
    " FROM unnest(CAST(:ids AS uuid[]), CAST(:statuses AS text[]),"
    " CAST(:sent AS timestamptz[]), CAST(:later AS timestamptz[]),"
    " CAST(:versions AS integer[])) AS given(id, status, sent_at, next_attempt_at, version)"
    " WHERE nudges.id = given.id")


def record(nudge, outcomes, now=None):
    """Keep what the sends taught us about one nudge, about the subscriptions and
    the nudge (the caller commits): the fallback when a batch could not be
    recorded at once. Returns the nudge's new status, or None when it is no longer
    scheduled (then only the subscriptions' bookkeeping is kept)."""
    now = now or utcnow()
    for target, outcome in outcomes:
        subscription = db.session.get(PushSubscription, target.id)
        if subscription is not None:
            push_subscriptions.record(subscription, outcome)
    row = db.session.get(Nudge, nudge.id)
    if row is None or row.status != "scheduled":
        return None
    row.status, sent_at, row.next_attempt_at = settle(nudge, outcomes, now)
    if sent_at is not None:
        row.sent_at = sent_at
    row.lease_until = None
    stamp(row, now)
    return row.status


def _key(status):
    return "retry" if status == "scheduled" else status or "skipped"


def _record_one_by_one(delivered, now, counts):
    for nudge, outcomes in delivered:
        try:
            key = _key(record(nudge, outcomes, now))
            db.session.commit()
        except Exception:  # one nudge's bad result must not sink the rest of the batch
            db.session.rollback()
            log.exception("Recording nudge %s failed; it is tried again after its lease",
                          nudge.id)
            key = "error"
        counts[key] = counts.get(key, 0) + 1


def run_once(now=None, batch_size=BATCH, sender=None, keep_going=None):
    """One worker round, the unit of work: send everything due now, in halves of
    `batch_size`, committing each half's results at once; returns {status: count},
    where `error` counts nudges whose results could not be recorded (rolled back
    and logged; their lease runs out and they are claimed again). When
    `keep_going()` turns false (SIGTERM), the round ends once what was sent is
    recorded, and the half claimed but unsent is released.

    The halves overlap: while one is on the wire, the one before it is recorded
    and the next is claimed, so with the worker's sender (its own process) the
    database work and the encryption run side by side. At most `batch_size`
    nudges are ever sent and not yet recorded (two halves), which is what a
    killed worker may send again."""
    sender = sender or sender_for(current_app)
    # NUDGES_LEASE_SECONDS (default 120; more than LEASE_MARGIN): how long a dead
    # worker's batch waits before another worker claims it.
    lease = timedelta(seconds=current_app.config.get("NUDGES_LEASE_SECONDS", 120))
    half = max(1, batch_size // 2)
    counts = {}
    on_the_wire = None  # `delivered` of the half being sent
    try:
        batch = claim(now, half, lease)
        while batch:
            sending = start_delivery(batch, sender)
            sent, on_the_wire = on_the_wire, sending
            if sent is not None:
                _record(sent(), now or utcnow(), counts)
            # Claimed, not sent: a worker killed now sends the two halves above again,
            # and this one only once (whoever claims it after its lease).
            batch = claim(now, half, lease)
            if keep_going is not None and not keep_going():
                release(batch)
                break
    finally:
        if on_the_wire is not None:
            _record(on_the_wire(), now or utcnow(), counts)
    return counts


def _record(delivered, now, counts):
    if not delivered:
        return
    try:
        statuses = record_batch(delivered, now)
        db.session.commit()
    except Exception:  # find the bad one: each nudge on its own, as before batching
        db.session.rollback()
        log.warning("Recording a batch of %d nudges at once failed; one by one now",
                    len(delivered), exc_info=True)
        _record_one_by_one(delivered, now, counts)
        return
    for status in statuses:
        key = _key(status)
        counts[key] = counts.get(key, 0) + 1
