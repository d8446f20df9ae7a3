"""What one user's devices can cost (issue 9, item 3): at most 10 subscriptions (an
11th replaces the least recently used one), a nudge's devices are sent side by
side rather than one after another, and POST /api/push/test is rate-limited.

Overlap is measured at the fake push service, which holds every answer back
until the expected number of requests is in flight at once: sends one after
another never get there, and max_in_flight says so. Nothing here is timed."""
import uuid
from datetime import timedelta

from sqlalchemy import select, update

from backend.extensions import db
from backend.models import PushSubscription, utcnow
from tests.helpers import PASSWORD, ApiClient, error_of

from .support import (add_nudge, push_app, push_service, run, sign_up,  # noqa: F401
                      subscribe, subscription_rows)
from .support import browser_keys, subscription

BASE = "https://fcm.googleapis.com/fcm/send/"


def register(signed_in, name, keys=None):
    response = signed_in.post("/api/push/subscriptions", subscription(BASE + name, keys=keys))
    assert response.status_code == 201, response.get_json()


def set_times(app, times):
    """{name: (created_at, last_success_at, disabled_at)} for endpoints BASE + name."""
    with app.app_context():
        for name, (created, succeeded, disabled) in times.items():
            db.session.execute(update(PushSubscription)
                               .where(PushSubscription.endpoint == BASE + name)
                               .values(created_at=created, last_success_at=succeeded,
                                       disabled_at=disabled))
        db.session.commit()


def names(app, signed_in):
    with app.app_context():
        return sorted(endpoint[len(BASE):] for endpoint in db.session.execute(
            select(PushSubscription.endpoint).where(
                PushSubscription.user_id == uuid.UUID(signed_in.user["id"]))).scalars())


def ten_devices(app, signed_in):
    """Ten subscriptions made an hour apart, the oldest first; d0 was used a minute ago."""
    start = utcnow() - timedelta(days=1)
    for n in range(10):
        register(signed_in, f"d{n}")
    set_times(app, {f"d{n}": (start + timedelta(hours=n), None, None) for n in range(10)})
    set_times(app, {"d0": (start, utcnow() - timedelta(minutes=1), None)})
    return [f"d{n}" for n in range(10)]


def test_an_eleventh_subscription_replaces_the_least_recently_used(app, signed_in, other_signed_in):
    devices = ten_devices(app, signed_in)
    register(other_signed_in, "stranger")
    register(signed_in, "new")
    # d0 is the oldest but was used a minute ago; d1 is the least recently used.
    assert names(app, signed_in) == sorted([*devices[:1], *devices[2:], "new"])
    assert names(app, other_signed_in) == ["stranger"]


def test_a_disabled_subscription_goes_before_any_working_one(app, signed_in):
    devices = ten_devices(app, signed_in)
    with app.app_context():
        created = db.session.execute(select(PushSubscription.created_at).where(
            PushSubscription.endpoint == BASE + "d7")).scalar_one()
    set_times(app, {"d7": (created, None, utcnow())})
    register(signed_in, "new")
    assert names(app, signed_in) == sorted([*devices[:7], *devices[8:], "new"])


def test_registering_a_known_endpoint_again_replaces_nothing(app, signed_in):
    devices = ten_devices(app, signed_in)
    register(signed_in, "d4", keys=browser_keys())
    assert names(app, signed_in) == devices


def test_an_endpoint_moved_to_a_full_account_makes_room_there(app, signed_in, other_signed_in):
    keys = browser_keys()
    register(other_signed_in, "shared", keys=keys)
    devices = ten_devices(app, signed_in)
    register(signed_in, "shared", keys=keys)  # the same browser, now signed in as `signed_in`
    assert names(app, signed_in) == sorted([*devices[:1], *devices[2:], "shared"])
    assert names(app, other_signed_in) == []


def test_a_nudges_devices_are_sent_side_by_side(push_app, push_service):
    signed_in = sign_up(push_app)
    devices = [push_service.device(f"d{n}") for n in range(10)]
    subscribe(signed_in, *devices)
    nudge_id = add_nudge(push_app, signed_in)
    push_service.hold_until_in_flight(10, timeout=5)
    assert run(push_app) == {"sent": 1}
    assert push_service.max_in_flight == 10
    for device in devices:
        assert [m["notification"]["data"]["nudge_id"] for m in device.received()] == [str(nudge_id)]


def test_the_test_push_sends_to_every_device_side_by_side(push_app, push_service):
    signed_in = sign_up(push_app)
    devices = [push_service.device(f"slow-{n}") for n in range(5)]
    subscribe(signed_in, *devices)
    push_service.hold_until_in_flight(5, timeout=5)
    response = signed_in.post("/api/push/test")
    assert response.status_code == 202
    assert response.get_json() == {"devices": 5, "delivered": 5}
    assert push_service.max_in_flight == 5
    assert all(len(device.received()) == 1 for device in devices)


def test_the_test_push_is_limited_to_5_a_minute_per_user(push_app, push_service):
    signed_in = sign_up(push_app)
    phone = push_service.device("phone")
    subscribe(signed_in, phone)
    for _ in range(5):
        assert signed_in.post("/api/push/test").status_code == 202
    before = subscription_rows(push_app)
    response = signed_in.post("/api/push/test")
    error_of(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0
    # The same person on another device shares the limit; nothing more was sent.
    laptop = ApiClient(push_app.test_client())
    assert laptop.post("/api/auth/login", {"email": signed_in.email,
                                           "password": PASSWORD}).status_code == 200
    error_of(laptop.post("/api/push/test"), 429, "rate_limited")
    assert len(phone.received()) == 5
    after = subscription_rows(push_app)
    assert {e: (r.last_success_at, r.failure_count) for e, r in after.items()} == {
        e: (r.last_success_at, r.failure_count) for e, r in before.items()}
    # Someone else is not held back by it.
    stranger = sign_up(push_app)
    assert stranger.post("/api/push/test").get_json() == {"devices": 0, "delivered": 0}
