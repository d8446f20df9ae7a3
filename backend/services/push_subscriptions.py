"""Push subscriptions: upsert by endpoint, remove, and what each send taught us.
The caller commits.

An endpoint belongs to one user. Another user may take it over only by
presenting the same keys (the same browser, now signed in to another account);
with other keys it is a 409 and the first user's row stays as it was, so
nobody can silence someone else's notifications by knowing their endpoint.

A user keeps at most MAX_PER_USER (10) subscriptions: registering another
replaces the least recently used one (disabled ones first, then by the later
of `last_success_at` and `created_at`), so one account cannot make every
nudge cost hundreds of sends.
"""
from flask import current_app
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from ..exceptions import Conflict
from ..extensions import db
from ..models import PushSubscription, User, among, utcnow
from ..push.endpoints import MAX_PER_USER, same_keys

TAKEN = "This push subscription is registered to another account."


def subscribe(user, endpoint, p256dh, auth, device_label=None, session_id=None):
    """Register `endpoint` for `user`, as the device of session `session_id` (the
    subscription is deleted with that session)."""
    # One registration of a user at a time (PostgreSQL; SQLite has one writer anyway),
    # so two at once cannot both find room for an 11th.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    row = db.session.execute(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    ).scalar_one_or_none()
    if row is not None and row.user_id != user.id and not same_keys(
            p256dh, auth, row.p256dh, row.auth):
        raise Conflict(TAKEN)
    if row is None:
        row = PushSubscription(endpoint=endpoint)
        db.session.add(row)
    row.user_id, row.session_id, row.p256dh, row.auth = user.id, session_id, p256dh, auth
    row.device_label = device_label
    row.created_at, row.failure_count, row.disabled_at = utcnow(), 0, None
    try:
        db.session.flush()
    except IntegrityError:  # another request registered this endpoint at the same moment
        raise Conflict(TAKEN) from None
    _make_room(user.id, row)
    return row


def _last_used(row):
    return max(row.created_at, row.last_success_at or row.created_at)


def _make_room(user_id, keep):
    """Delete the user's least recently used subscriptions beyond MAX_PER_USER."""
    others = [r for r in db.session.execute(select(PushSubscription).where(
        PushSubscription.user_id == user_id)).scalars() if r is not keep]
    extra = len(others) + 1 - MAX_PER_USER
    if extra <= 0:
        return
    others.sort(key=lambda r: (r.disabled_at is None, _last_used(r)))
    db.session.execute(delete(PushSubscription).where(
        PushSubscription.id.in_([r.id for r in others[:extra]])))


def unsubscribe(user, endpoint):
    """Remove the caller's subscription with this endpoint (never another user's)."""
    db.session.execute(delete(PushSubscription).where(
        PushSubscription.user_id == user.id, PushSubscription.endpoint == endpoint))


def active_for(user_id):
    return db.session.execute(select(PushSubscription).where(
        PushSubscription.user_id == user_id,
        PushSubscription.disabled_at.is_(None))).scalars().all()


def record(subscription, outcome):
    """Keep what a send taught us about the subscription."""
    if outcome.action == "ok":
        subscription.last_success_at, subscription.failure_count = utcnow(), 0
    elif outcome.action == "gone":
        db.session.execute(delete(PushSubscription).where(
            PushSubscription.endpoint == subscription.endpoint))
    else:
        subscription.failure_count += 1
        if outcome.action == "disable":
            subscription.disabled_at = utcnow()
            current_app.logger.warning("Push subscription %s disabled after HTTP %s",
                                       subscription.id, outcome.status)


def record_many(sent, now=None):
    """`record` for a batch of sends, [(subscription, outcome)] (anything with `id`
    and `endpoint`), in a handful of statements: failures counted (one per failed
    send), a success resets the count, gone ones deleted by endpoint."""
    now = now or utcnow()
    ok, gone, failed, disabled = set(), set(), {}, {}
    for subscription, outcome in sent:
        if outcome.action == "ok":
            ok.add(subscription.id)
        elif outcome.action == "gone":
            gone.add(subscription.endpoint)
        else:
            failed[subscription.id] = failed.get(subscription.id, 0) + 1
            if outcome.action == "disable":
                disabled[subscription.id] = outcome.status
    table = PushSubscription.__table__
    if failed:
        db.session.execute(
            update(table).where(table.c.id == bindparam("b_id"))
            .values(failure_count=table.c.failure_count + bindparam("b_n")),
            [{"b_id": id_, "b_n": n} for id_, n in failed.items()])
    if disabled:
        db.session.execute(update(table).where(among(table.c.id, disabled))
                           .values(disabled_at=now))
        for id_, status in disabled.items():
            current_app.logger.warning("Push subscription %s disabled after HTTP %s",
                                       id_, status)
    if ok:
        db.session.execute(update(table).where(among(table.c.id, ok))
                           .values(last_success_at=now, failure_count=0))
    if gone:
        db.session.execute(delete(table).where(among(table.c.endpoint, gone)))
