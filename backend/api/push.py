"""Web push: the VAPID public key and this device's subscription."""
from flask import current_app
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from ..extensions import db, limiter
from ..push import sender_for
from ..push.keys import public_key
from ..push.sender import payload, public_url
from ..schemas.push import (PublicKeySchema, SubscriptionOutSchema, SubscriptionSchema,
                            TestSendSchema, UnsubscribeSchema)
from ..services import push_subscriptions

blp = Blueprint("push", __name__, url_prefix="/api/push", description="Web push")

# Each test push costs a send to every device of the caller: 5 a minute per person
# (whichever device asks) is plenty for checking notifications work.
TEST_LIMIT = "5 per minute"


def _per_user():
    return f"user:{current_user.id}"


@blp.route("/public-key")
@blp.doc(security=[])
@blp.response(200, PublicKeySchema)
def get_public_key():
    """Give the VAPID public key for PushManager.subscribe"""
    return {"public_key": public_key(current_app)}


@blp.route("/subscriptions", methods=["POST"])
@login_required
@blp.arguments(SubscriptionSchema)
@blp.response(201, SubscriptionOutSchema)
def subscribe(body):
    """Register this device's push subscription (upsert by endpoint; ends with this session)"""
    row = push_subscriptions.subscribe(current_user, body["endpoint"], body["keys"]["p256dh"],
                                       body["keys"]["auth"], body.get("device_label"),
                                       session_id=current_user.current_session.id)
    db.session.commit()
    return row


@blp.route("/subscriptions", methods=["DELETE"])
@login_required
@blp.arguments(UnsubscribeSchema)
@blp.response(204)
def unsubscribe(body):
    """Forget this device's push subscription"""
    push_subscriptions.unsubscribe(current_user, body["endpoint"])
    db.session.commit()


@blp.route("/test", methods=["POST"])
@login_required
@limiter.limit(TEST_LIMIT, key_func=_per_user)
@blp.response(202, TestSendSchema)
def send_test():
    """Send "Notifications are on" to each of your devices now (5 a minute)"""
    sender = sender_for(current_app)
    message = payload("Notifications are on",
                      "This is how Rebound will remind you, gently and not too often.",
                      "/today", "test", base_url=public_url(current_app.config))
    subscriptions = push_subscriptions.active_for(current_user.id)
    # Send first, then record: no write (and so no database lock) is open during the sends.
    # Side by side; the sender only reads the rows' loaded columns.
    outcomes = sender.send_all(subscriptions, message, topic="test")
    for subscription, outcome in zip(subscriptions, outcomes):
        push_subscriptions.record(subscription, outcome)
    db.session.commit()
    delivered = sum(outcome.action == "ok" for outcome in outcomes)
    return {"devices": len(subscriptions), "delivered": delivered}
