"""Push subscriptions: real P-256 keys accepted, anything else refused with nothing stored."""
import base64
import os

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sqlalchemy import select

from backend.extensions import db
from backend.models import PushSubscription
from backend.push.endpoints import endpoint_problem
from tests.helpers import error_of

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def browser_keys():
    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        Encoding.X962, PublicFormat.UncompressedPoint)
    return {"p256dh": b64(point), "auth": b64(os.urandom(16))}


def subscription(endpoint=ENDPOINT, **keys):
    return {"endpoint": endpoint, "keys": {**browser_keys(), **keys}, "device_label": "Phone"}


def test_public_key_is_a_65_byte_point(client):
    key = client.get("/api/push/public-key").get_json()["public_key"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4


def test_subscribe_and_unsubscribe(signed_in, db_state):
    response = signed_in.post("/api/push/subscriptions", subscription())
    assert response.status_code == 201
    assert response.get_json()["endpoint"] == ENDPOINT
    assert len(db_state()["push_subscriptions"]) == 1
    assert signed_in.delete("/api/push/subscriptions", {"endpoint": ENDPOINT}).status_code == 204
    assert db_state()["push_subscriptions"] == []


def owners(app):
    with app.app_context():
        return [str(row.user_id) for row in
                db.session.execute(select(PushSubscription)).scalars()]


def test_an_endpoint_belongs_to_the_latest_user_to_register_it(app, signed_in, other_signed_in):
    body = subscription()  # with the same keys only: other keys are a 409 (test_subscription_rules)
    signed_in.post("/api/push/subscriptions", body)
    assert other_signed_in.post("/api/push/subscriptions", body).status_code == 201
    assert owners(app) == [other_signed_in.user["id"]]
    # The first user can no longer remove it.
    assert signed_in.delete("/api/push/subscriptions", {"endpoint": ENDPOINT}).status_code == 204
    assert owners(app) == [other_signed_in.user["id"]]


@pytest.mark.parametrize("body,field", [
    (subscription(p256dh=b64(b"\x04" + b"\x01" * 64)), "keys.p256dh"),  # not on the curve
    (subscription(p256dh=b64(os.urandom(33))), "keys.p256dh"),
    (subscription(p256dh="not base64!"), "keys.p256dh"),
    (subscription(auth=b64(os.urandom(15))), "keys.auth"),
    (subscription(auth="***"), "keys.auth"),
    ({"endpoint": ENDPOINT}, "keys"),
    (subscription(endpoint="http://push.example.com/x"), "endpoint"),
    (subscription(endpoint="https://127.0.0.1/x"), "endpoint"),
    (subscription(endpoint="https://10.1.2.3/x"), "endpoint"),
    (subscription(endpoint="https://localhost/x"), "endpoint"),
    (subscription(endpoint="https://[::1]/x"), "endpoint"),
    (subscription(endpoint="javascript:alert(1)"), "endpoint"),
])
def test_bad_subscriptions_are_422_and_store_nothing(signed_in, body, field, db_state):
    before = db_state()
    assert field in error_of(signed_in.post("/api/push/subscriptions", body), 422,
                             "validation_error")["fields"]
    assert db_state() == before


def test_subscribing_needs_a_session(client):
    error_of(client.post("/api/push/subscriptions", subscription()), 401, "unauthorized")


@pytest.mark.parametrize("url,ok", [
    ("https://updates.push.services.mozilla.com/wpush/v2/x", True),
    ("https://192.168.1.5/x", False), ("https://169.254.169.254/latest", False),
    ("https://printer.local/x", False), ("https://intranet/x", False),
    ("https://8.8.8.8/x", True),
])
def test_endpoint_must_be_public(url, ok):
    assert (endpoint_problem(url) is None) == ok


def test_loopback_http_is_allowed_only_when_configured():
    assert endpoint_problem("http://127.0.0.1:8080/push") is not None
    assert endpoint_problem("http://127.0.0.1:8080/push", allow_http=True) is None
