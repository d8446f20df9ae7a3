"""Web push: VAPID keys, the checks on subscriptions, and the sender."""
from .keys import load_vapid
from .sender import PushSender


def sender_for(app):
    """The app's one PushSender (one Vapid object, one pooled session), made on first use."""
    if "rebound_push_sender" not in app.extensions:
        app.extensions["rebound_push_sender"] = PushSender(
            load_vapid(app), app.config["VAPID_SUBJECT"],
            allow_private=app.config.get("PUSH_ALLOW_HTTP", False))
    return app.extensions["rebound_push_sender"]
