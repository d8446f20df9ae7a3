"""The dispatcher: claim due nudges with a lease, send them, record what happened.

1. Claim, in one short transaction: `FOR UPDATE SKIP LOCKED` on PostgreSQL (so
   several workers never claim one nudge), `BEGIN IMMEDIATE` on SQLite (one
   writer at a time). A claim sets `lease_until` and counts an attempt; a nudge
   whose lease ran out (its worker died) is claimable again. Nudges more than
   12 h overdue, or dismissed before they went out, are cancelled instead.
2. Send outside any transaction, to every active subscription of the user.
3. Record each nudge's results in its own short transaction, taking a new
   version so devices pull the change: delivered to at least one device (or no
   device left to try) -> `sent` (it stays in the in-app inbox); only retryable
   answers -> try again after exponential backoff or Retry-After (at most an
   hour), whichever is longer; after 5 tries -> `failed`. One bad result cannot
   keep the others from being recorded: an error recording a nudge is logged
   and rolled back, and that nudge is claimed again when its lease runs out.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from ..extensions import db
from ..models import Nudge, PushSubscription, utcnow
from ..push import sender_for
from ..push.sender import payload, public_url
from ..services import push_subscriptions
from ..versions import stamp

LEASE = timedelta(minutes=2)
LEASE_MARGIN = timedelta(seconds=15)  # no send starts this close to the lease's end
OVERDUE = timedelta(hours=12)
MAX_TRIES = 5
BACKOFF = timedelta(seconds=30)  # 30 s, 1 min, 2 min, 4 min between the five tries
MAX_WAIT = timedelta(hours=1)  # no answer of a push service puts a nudge off longer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claimed:
    id: object
    user_id: object
    kind: str
    title: str
    body: str
    url: str | None
    attempts: int
    lease_until: object


@dataclass(frozen=True)
class Target:
    id: object
    endpoint: str
    p256dh: str
    auth: str


def _claimable(now):
    return and_(Nudge.status == "scheduled", Nudge.deleted_at.is_(None), Nudge.due_at <= now,
                or_(Nudge.next_attempt_at.is_(None), Nudge.next_attempt_at <= now),
                or_(Nudge.lease_until.is_(None), Nudge.lease_until <= now))


def claim(now=None, limit=100, lease=LEASE):
    """Lease up to `limit` due nudges to this worker; returns them as plain data."""
    now = now or utcnow()
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        query = (select(Nudge.id, Nudge.user_id, Nudge.kind, Nudge.title, Nudge.body, Nudge.url,
                        Nudge.attempts, Nudge.due_at, Nudge.dismissed_at)
                 .where(_claimable(now)).order_by(Nudge.due_at).limit(limit))
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = conn.execute(query).all()
        late = [r for r in rows if r.due_at < now - OVERDUE or r.dismissed_at is not None]
        claimed = [r for r in rows if r not in late]
        if claimed:
            conn.execute(update(Nudge).where(Nudge.id.in_([r.id for r in claimed]))
                         .values(lease_until=now + lease, attempts=Nudge.attempts + 1))
        conn.commit()
    _cancel(late, now)
    return [Claimed(r.id, r.user_id, r.kind, r.title, r.body, r.url, r.attempts + 1, now + lease)
            for r in claimed]


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
    rows = db.session.execute(select(PushSubscription).where(
        PushSubscription.user_id.in_(user_ids), PushSubscription.disabled_at.is_(None))).scalars()
    targets = {}
    for row in rows:
        targets.setdefault(row.user_id, []).append(
            Target(row.id, row.endpoint, row.p256dh, row.auth))
    db.session.rollback()  # end the read: nothing is held open while we send
    return targets


def deliver(batch, sender):
    """Send each claimed nudge to its user's devices, several nudges at once (the
    sender's pool) and each nudge's devices side by side; no transaction is open
    here. Returns (nudge, outcomes) in batch order, leaving out nudges whose lease
    ran short before their turn."""
    targets = _targets({n.user_id for n in batch}) if batch else {}
    base_url = public_url(current_app.config)  # read here: the sends run in other threads

    def send(nudge):
        if utcnow() >= nudge.lease_until - LEASE_MARGIN:
            return None  # a slow batch outlived this lease: another worker may claim it now
        data = payload(nudge.title, nudge.body, nudge.url, nudge.kind, str(nudge.id),
                       base_url=base_url)
        devices = targets.get(nudge.user_id, [])
        # Side by side: the nudge takes as long as its slowest device, not their sum.
        return list(zip(devices, sender.send_all(devices, data, nudge.kind)))

    return [(nudge, outcomes) for nudge, outcomes in zip(batch, sender.map(send, batch))
            if outcomes is not None]


def record(nudge, outcomes, now=None):
    """Keep what the sends taught us, about the subscriptions and the nudge (the
    caller commits). Returns the nudge's new status, or None when it is no longer
    scheduled (then only the subscriptions' bookkeeping is kept)."""
    now = now or utcnow()
    for target, outcome in outcomes:
        subscription = db.session.get(PushSubscription, target.id)
        if subscription is not None:
            push_subscriptions.record(subscription, outcome)
    row = db.session.get(Nudge, nudge.id)
    if row is None or row.status != "scheduled":
        return None
    actions = {outcome.action for _t, outcome in outcomes}
    if "ok" in actions or "retry" not in actions:
        row.status, row.sent_at, row.next_attempt_at = "sent", now, None
    elif nudge.attempts >= MAX_TRIES:
        row.status, row.next_attempt_at = "failed", None
    else:
        waits = [timedelta(seconds=o.retry_after) for _t, o in outcomes if o.retry_after]
        backoff = BACKOFF * 2 ** min(max(nudge.attempts - 1, 0), MAX_TRIES)
        row.next_attempt_at = now + min(max([backoff, *waits]), MAX_WAIT)
    row.lease_until = None
    stamp(row, now)
    return row.status


def run_once(now=None, batch_size=100, sender=None):
    """One worker round, the unit of work: send everything due now, batch by batch,
    committing each nudge's results on their own; returns {status: count}, where
    `error` counts nudges whose results could not be recorded (rolled back and
    logged; their lease runs out and they are claimed again)."""
    sender = sender or sender_for(current_app)
    # NUDGES_LEASE_SECONDS (default 120; more than LEASE_MARGIN): how long a dead
    # worker's batch waits before another worker claims it.
    lease = timedelta(seconds=current_app.config.get("NUDGES_LEASE_SECONDS", 120))
    counts = {}
    while True:
        batch = claim(now, batch_size, lease)
        if not batch:
            return counts
        for nudge, outcomes in deliver(batch, sender):
            try:
                status = record(nudge, outcomes, now)
                db.session.commit()
                key = "retry" if status == "scheduled" else status or "skipped"
            except Exception:  # one nudge's bad result must not sink the rest of the batch
                db.session.rollback()
                log.exception("Recording nudge %s failed; it is tried again after its lease",
                              nudge.id)
                key = "error"
            counts[key] = counts.get(key, 0) + 1
