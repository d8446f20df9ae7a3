"""Web push: VAPID keys, the checks on subscriptions, and the sender."""
from .keys import load_vapid
from .process import SenderProcess
from .sender import PushSender


def sender_for(app):
    """The app's one PushSender (one Vapid object, one pooled session), made on first use."""
    if "rebound_push_sender" not in app.extensions:
        app.extensions["rebound_push_sender"] = PushSender(
            load_vapid(app), app.config["VAPID_SUBJECT"],
            allow_private=app.config.get("PUSH_ALLOW_HTTP", False))
    return app.extensions["rebound_push_sender"]


def worker_sender(app):
    """A sender in a process of its own, for the nudge worker (see process.py); the
    caller closes it. The web process sends its few test pushes itself."""
    return SenderProcess(load_vapid(app).private_pem(), app.config["VAPID_SUBJECT"],
                         allow_private=app.config.get("PUSH_ALLOW_HTTP", False))
