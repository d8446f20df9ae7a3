"""Push subscriptions: upsert by endpoint (an endpoint belongs to its latest user), remove,
and what each send taught us. The caller commits."""
from flask import current_app
from sqlalchemy import delete, select

from ..extensions import db
from ..models import PushSubscription, utcnow


def subscribe(user, endpoint, p256dh, auth, device_label=None):
    row = db.session.execute(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    ).scalar_one_or_none()
    if row is None:
        row = PushSubscription(endpoint=endpoint)
        db.session.add(row)
    row.user_id, row.p256dh, row.auth = user.id, p256dh, auth
    row.device_label = device_label
    row.created_at, row.failure_count, row.disabled_at = utcnow(), 0, None
    db.session.flush()
    return row


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
