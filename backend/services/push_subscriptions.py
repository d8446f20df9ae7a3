"""Push subscriptions: upsert by endpoint (an endpoint belongs to its latest user), remove."""
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
    db.session.commit()
    return row


def unsubscribe(user, endpoint):
    """Remove the caller's subscription with this endpoint (never another user's)."""
    db.session.execute(delete(PushSubscription).where(
        PushSubscription.user_id == user.id, PushSubscription.endpoint == endpoint))
    db.session.commit()
