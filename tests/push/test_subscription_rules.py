"""What POST /api/push/subscriptions accepts (issue 9, items 5 and 11): endpoints
are ASCII URLs of at most 1,024 characters, and an endpoint another user
registered moves only when the same keys come with it."""
import base64
import os

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select

from backend.extensions import db
from backend.models import PushSubscription
from tests.helpers import error_of

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


def rows(app):
    with app.app_context():
        return [(str(r.user_id), r.endpoint, r.p256dh, r.auth, r.device_label) for r in
                db.session.execute(select(PushSubscription)).scalars()]


def test_an_ascii_endpoint_of_1024_characters_is_accepted(user, app):
    endpoint = BASE + "a" * (1024 - len(BASE))
    response = user.post("/api/push/subscriptions", subscription(endpoint))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["endpoint"] == endpoint
    assert [r[1] for r in rows(app)] == [endpoint]


@pytest.mark.parametrize("endpoint", [
    BASE + "a" * (1025 - len(BASE)),  # one character too many
    # 2,000 characters that do not compress: a 503 on PostgreSQL (over the btree's limit).
    BASE + "".join(chr(0x4E00 + n * 7919 % 20000) for n in range(2000 - len(BASE))),
    BASE + "ü",
    "https://püsh.example.com/x",  # an IDN host must come as punycode
    BASE + "a b",
    BASE + "a\tb",
    BASE + "a\x7fb",
])
def test_an_endpoint_that_is_not_an_ascii_url_of_1024_characters_is_422(user, db_state,
                                                                        endpoint):
    before = db_state()
    body = error_of(user.post("/api/push/subscriptions", subscription(endpoint)), 422,
                    "validation_error")
    assert list(body["fields"]) == ["endpoint"]
    assert db_state() == before


def test_another_users_endpoint_with_other_keys_is_409_and_stays_theirs(app, user, other_user,
                                                                        db_state):
    assert user.post("/api/push/subscriptions", subscription()).status_code == 201
    before = db_state()
    body = error_of(other_user.post("/api/push/subscriptions",
                                    subscription(label="Attacker")), 409, "conflict")
    assert "another account" in body["message"]
    assert db_state() == before
    [(owner, *_rest)] = rows(app)
    assert owner == user.user["id"]


def test_another_users_endpoint_with_one_key_changed_is_409(app, user, other_user, db_state):
    keys = browser_keys()
    assert user.post("/api/push/subscriptions", subscription(keys=keys)).status_code == 201
    before = db_state()
    for changed in ({**keys, "auth": browser_keys()["auth"]},
                    {**keys, "p256dh": browser_keys()["p256dh"]}):
        error_of(other_user.post("/api/push/subscriptions", subscription(keys=changed)), 409,
                 "conflict")
    assert db_state() == before


def test_an_endpoint_moves_to_another_user_who_presents_the_same_keys(app, user, other_user):
    keys = browser_keys()  # the same browser: one person signed out, another signed in
    assert user.post("/api/push/subscriptions", subscription(keys=keys)).status_code == 201
    # The same keys, only written with base64 padding: still the same keys.
    padded = {name: b64(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), padded=True)
              for name, value in keys.items()}
    response = other_user.post("/api/push/subscriptions",
                               subscription(keys=padded, label="Laptop"))
    assert response.status_code == 201, response.get_json()
    [(owner, endpoint, _p, _a, label)] = rows(app)
    assert owner == other_user.user["id"] and label == "Laptop"
    # The first user can no longer remove it.
    assert user.delete("/api/push/subscriptions", {"endpoint": endpoint}).status_code == 204
    assert [r[0] for r in rows(app)] == [other_user.user["id"]]


def test_the_owner_may_register_new_keys_for_their_own_endpoint(app, user):
    assert user.post("/api/push/subscriptions", subscription()).status_code == 201
    fresh = browser_keys()
    assert user.post("/api/push/subscriptions", subscription(keys=fresh)).status_code == 201
    [(owner, _e, p256dh, auth, _l)] = rows(app)
    assert owner == user.user["id"] and (p256dh, auth) == (fresh["p256dh"], fresh["auth"])
