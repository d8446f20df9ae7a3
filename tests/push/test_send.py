"""POST /api/push/test through the real sender: pywebpush encrypts (aes128gcm), signs
(VAPID), and a fake push service on 127.0.0.1 decrypts what arrives."""
import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import PushSubscription
from backend.push.sender import MAX_BODY, classify, payload, public_url
from tests.factories import vapid_private_key
from tests.helpers import error_of

from .fake_push_service import FakePushService, verify_vapid


@pytest.fixture
def push_service():
    """A fake push service on 127.0.0.1 that decrypts what it receives."""
    with FakePushService() as service:
        yield service


@pytest.fixture
def app(make_app, database_url):
    """The app on this test's database, pushing over plain HTTP to a loopback push
    service, with a VAPID key of its own."""
    return make_app(database_url, PUSH_ALLOW_HTTP=True, VAPID_PRIVATE_KEY=vapid_private_key())


def subscriptions(app):
    with app.app_context():
        return {row.endpoint: row for row in
                db.session.execute(select(PushSubscription)).scalars()}


def test_test_push_reaches_every_device_encrypted_and_signed(app, signed_in, push_service):
    phone, laptop = push_service.device("phone"), push_service.device("laptop")
    for device in (phone, laptop):
        assert signed_in.post("/api/push/subscriptions", device.subscription()).status_code == 201
    response = signed_in.post("/api/push/test")
    assert response.status_code == 202
    assert response.get_json() == {"devices": 2, "delivered": 2}
    for device in (phone, laptop):
        [message] = device.received()
        note = message["notification"]
        assert message["web_push"] == 8030 and message["mutable"] is True
        assert note["title"] == "Notifications are on" and note["tag"] == "test"
        assert note["data"] == {"kind": "test", "nudge_id": None, "url": "/today"}
        assert note["navigate"] == "http://127.0.0.1:5000/today"  # no PUBLIC_URL in tests
        assert len(note["body"]) <= MAX_BODY
    public_key = signed_in.get("/api/push/public-key").get_json()["public_key"]
    for _path, headers, body in push_service.messages:
        assert headers["content-encoding"] == "aes128gcm"
        assert headers["ttl"] == str(24 * 60 * 60)
        assert headers["urgency"] == "normal" and headers["topic"] == "test"
        assert len(body) < 4096
        verify_vapid(headers, public_key, push_service.url)
    assert all(row.last_success_at for row in subscriptions(app).values())


def test_a_gone_subscription_is_deleted_and_a_broken_one_disabled(app, signed_in,
                                                                  push_service):
    gone, broken, busy = (push_service.device(n) for n in ("gone", "broken", "busy"))
    push_service.statuses = {gone.path: (410, {}), broken.path: (400, {}),
                             busy.path: (503, {"Retry-After": "30"})}
    for device in (gone, broken, busy):
        signed_in.post("/api/push/subscriptions", device.subscription())
    assert signed_in.post("/api/push/test").get_json() == {"devices": 3, "delivered": 0}
    rows = subscriptions(app)
    assert gone.endpoint not in rows
    assert rows[broken.endpoint].disabled_at is not None
    assert rows[busy.endpoint].disabled_at is None and rows[busy.endpoint].failure_count == 1
    # A disabled subscription is not tried again.
    assert signed_in.post("/api/push/test").get_json()["devices"] == 1


def test_test_push_needs_a_session_and_the_csrf_header(client):
    error_of(client.post("/api/push/test"), 401, "unauthorized")
    error_of(client.client.post("/api/push/test"), 403, "csrf")


@pytest.mark.parametrize("status,action", [
    (201, "ok"), (404, "gone"), (410, "gone"), (400, "disable"), (403, "disable"),
    (413, "disable"), (408, "retry"), (429, "retry"), (500, "retry"), (503, "retry"),
    (None, "retry"),
])
def test_push_service_answers_are_classified(status, action):
    assert classify(status).action == action


def test_payload_body_is_cut_to_140_characters():
    import json
    message = json.loads(payload("T", "x" * 500, "/", "apply", "n1", base_url="https://r.example"))
    body = message["notification"]["body"]
    assert len(body) == 140 and body.endswith("…")


def test_payload_is_a_declarative_push_message_well_under_3_kb():
    import json
    longest = "é" * 200  # titles are short strings (at most 200); multi-byte in UTF-8
    data = payload(longest, "ü" * 500, "/rejections/" + "a" * 36, "feedback",
                   "0b6f1c9e-64a4-4e0c-9a53-7f4f3c3b2a11", base_url="https://rebound.example/")
    assert len(data.encode()) < 1500
    message = json.loads(data)
    assert message["web_push"] == 8030 and message["mutable"] is True
    note = message["notification"]
    assert note["navigate"] == "https://rebound.example/rejections/" + "a" * 36
    assert (note["lang"], note["tag"], note["silent"]) == ("en", "feedback", False)
    assert note["data"] == {"kind": "feedback", "nudge_id": "0b6f1c9e-64a4-4e0c-9a53-7f4f3c3b2a11",
                            "url": "/rejections/" + "a" * 36}


@pytest.mark.parametrize("config,expected", [
    ({"PUBLIC_URL": "https://rebound.example/"}, "https://rebound.example"),
    ({"SERVER_NAME": "rebound.example", "PREFERRED_URL_SCHEME": "https"},
     "https://rebound.example"),
    ({}, "http://127.0.0.1:5000"),
])
def test_public_url_comes_from_the_config_never_a_request(config, expected):
    assert public_url(config) == expected
