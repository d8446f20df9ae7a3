"""What POST /api/push/subscriptions accepts (issue 9, items 5 and 11): endpoints
are ASCII URLs of at most 1,024 characters, and an endpoint another user
registered moves only when the same keys come with it."""
import base64

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import PushSubscription
from tests.helpers import error_of

from .support import BASE, b64, browser_keys, subscription  # noqa: F401

def rows(app):
    with app.app_context():
        return [(str(r.user_id), r.endpoint, r.p256dh, r.auth, r.device_label) for r in
                db.session.execute(select(PushSubscription)).scalars()]


def test_an_ascii_endpoint_of_1024_characters_is_accepted(signed_in, app):
    endpoint = BASE + "a" * (1024 - len(BASE))
    response = signed_in.post("/api/push/subscriptions", subscription(endpoint))
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
def test_an_endpoint_that_is_not_an_ascii_url_of_1024_characters_is_422(signed_in, db_state,
                                                                        endpoint):
    before = db_state()
    body = error_of(signed_in.post("/api/push/subscriptions", subscription(endpoint)), 422,
                    "validation_error")
    assert list(body["fields"]) == ["endpoint"]
    assert db_state() == before


def test_another_users_endpoint_with_other_keys_is_409_and_stays_theirs(app, signed_in, other_signed_in,
                                                                        db_state):
    assert signed_in.post("/api/push/subscriptions", subscription()).status_code == 201
    before = db_state()
    body = error_of(other_signed_in.post("/api/push/subscriptions",
                                    subscription(label="Attacker")), 409, "conflict")
    assert "another account" in body["message"]
    assert db_state() == before
    [(owner, *_rest)] = rows(app)
    assert owner == signed_in.user["id"]


def test_another_users_endpoint_with_one_key_changed_is_409(app, signed_in, other_signed_in, db_state):
    keys = browser_keys()
    assert signed_in.post("/api/push/subscriptions", subscription(keys=keys)).status_code == 201
    before = db_state()
    for changed in ({**keys, "auth": browser_keys()["auth"]},
                    {**keys, "p256dh": browser_keys()["p256dh"]}):
        error_of(other_signed_in.post("/api/push/subscriptions", subscription(keys=changed)), 409,
                 "conflict")
    assert db_state() == before


def test_an_endpoint_moves_to_another_user_who_presents_the_same_keys(app, signed_in, other_signed_in):
    keys = browser_keys()  # the same browser: one person signed out, another signed in
    assert signed_in.post("/api/push/subscriptions", subscription(keys=keys)).status_code == 201
    # The same keys, only written with base64 padding: still the same keys.
    padded = {name: b64(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), padded=True)
              for name, value in keys.items()}
    response = other_signed_in.post("/api/push/subscriptions",
                               subscription(keys=padded, label="Laptop"))
    assert response.status_code == 201, response.get_json()
    [(owner, endpoint, _p, _a, label)] = rows(app)
    assert owner == other_signed_in.user["id"] and label == "Laptop"
    # The first signed_in can no longer remove it.
    assert signed_in.delete("/api/push/subscriptions", {"endpoint": endpoint}).status_code == 204
    assert [r[0] for r in rows(app)] == [other_signed_in.user["id"]]


def test_the_owner_may_register_new_keys_for_their_own_endpoint(app, signed_in):
    assert signed_in.post("/api/push/subscriptions", subscription()).status_code == 201
    fresh = browser_keys()
    assert signed_in.post("/api/push/subscriptions", subscription(keys=fresh)).status_code == 201
    [(owner, _e, p256dh, auth, _l)] = rows(app)
    assert owner == signed_in.user["id"] and (p256dh, auth) == (fresh["p256dh"], fresh["auth"])
