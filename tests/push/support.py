"""Fixtures of the push hardening tests: an app that may push to a local fake push
service (PUSH_ALLOW_HTTP, a fresh VAPID key), the service itself, and nudges put
straight into the table. Import the fixtures you use into the test module."""
import base64
import itertools
import os
import uuid
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid
from sqlalchemy import select

from backend import create_app
from backend.extensions import db
from backend.models import Nudge, PushSubscription, utcnow
from backend.nudges import dispatcher
from backend.push import sender_for
from backend.versions import bump_version
from tests.helpers import ApiClient

from .fake_push_service import FakePushService

BASE = "https://fcm.googleapis.com/fcm/send/"


def b64(raw, padded=False):
    text = base64.urlsafe_b64encode(raw).decode()
    return text if padded else text.rstrip("=")


def browser_keys():
    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        Encoding.X962, PublicFormat.UncompressedPoint)
    return {"p256dh": b64(point), "auth": b64(os.urandom(16))}


def subscription(endpoint=BASE + "abc123", keys=None, label="Phone"):
    return {"endpoint": endpoint, "keys": keys or browser_keys(), "device_label": label}


def vapid_key():
    private = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(private.to_bytes(32, "big")).rstrip(b"=").decode()


@pytest.fixture
def push_app(database_url):
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": database_url,
                      "PUSH_ALLOW_HTTP": True, "VAPID_PRIVATE_KEY": vapid_key()})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


@pytest.fixture
def vapid():
    key = Vapid()
    key.generate_keys()
    return key


def subscription_of(device):
    """What the sender needs of a fake device's subscription."""
    keys = device.subscription()["keys"]
    return SimpleNamespace(endpoint=device.endpoint, p256dh=keys["p256dh"], auth=keys["auth"])


@pytest.fixture
def second_listener():
    """Another local listener: whatever a redirect points at. It must receive nothing."""
    with FakePushService() as service:
        yield service


_addresses = itertools.count(1)


def sign_up(app):
    """A signed-in signed_in, each from an address of their own (sign-ups are limited per IP)."""
    client = app.test_client()
    n = next(_addresses)
    client.environ_base["REMOTE_ADDR"] = f"10.9.{n // 250}.{n % 250}"
    return ApiClient(client).register()


def subscribe(signed_in, *devices):
    for device in devices:
        response = signed_in.post("/api/push/subscriptions", device.subscription())
        assert response.status_code == 201, response.get_json()


def add_nudge(app, signed_in, kind="apply"):
    """A scheduled nudge due now, put straight into the table as reconcile would."""
    with app.app_context():
        user_id = uuid.UUID(signed_in.user["id"])
        row = Nudge(user_id=user_id, version=bump_version(user_id), kind=kind,
                    title="Ready for one more?", body="One more application, no rush.",
                    url="/applications", due_at=utcnow(), status="scheduled",
                    dedupe_key=f"{kind}:{uuid.uuid4()}", attempts=0)
        db.session.add(row)
        db.session.commit()
        return row.id


def nudge_of(app, nudge_id):
    with app.app_context():
        row = db.session.get(Nudge, nudge_id)
        db.session.expunge(row)
        return row


def subscription_rows(app):
    """{endpoint: row} of every stored subscription."""
    with app.app_context():
        rows = db.session.execute(select(PushSubscription)).scalars().all()
        for row in rows:
            db.session.expunge(row)
        return {row.endpoint: row for row in rows}


def run(app, now=None):
    """One dispatcher round with the app's own sender."""
    with app.app_context():
        try:
            return dispatcher.run_once(now=now, sender=sender_for(app))
        finally:
            db.session.remove()
