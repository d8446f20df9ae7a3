"""A push service's `Retry-After` is hostile input (issue 9, item 1): ASCII digits
and HTTP dates only, clamped to an hour, and one bad answer never keeps the rest
of a batch from being recorded."""
import logging
from datetime import timedelta
from email.utils import format_datetime

from backend.models import utcnow
from backend.nudges import dispatcher

from .support import (add_nudge, nudge_of, push_app, push_service, run,  # noqa: F401
                      sign_up, subscribe, subscription_rows)

HOUR = 3600
BACKOFF = 30  # the first try's backoff, used when Retry-After says nothing usable

ODD_ANSWERS = {  # device name -> (Retry-After, the wait the nudge then gets)
    "huge": ("300000000000", HOUR),  # overflowed `now + delay`
    "superscript": ("²", BACKOFF),  # passes str.isdigit(), int() raises
    "fullwidth": ("１２０", BACKOFF),  # int() reads it, but it is not ASCII
    "too-many-digits": ("9" * 5000, HOUR),  # over Python's int-string limit
    "negative": ("-5", BACKOFF),
    "fraction": ("1.5", BACKOFF),
    "far-date": ("Fri, 31 Dec 9999 23:59:59 GMT", HOUR),
    "past-date": ("Sun, 06 Nov 1994 08:49:37 GMT", BACKOFF),
    "zero-padded": ("0000000000120", 120),
    "fine": ("120", 120),
}


def test_odd_retry_after_answers_never_sink_a_batch(push_app, push_service):
    people, nudges, devices = {}, {}, {}
    for name, (value, _wait) in ODD_ANSWERS.items():
        person = people[name] = sign_up(push_app)
        device = devices[name] = push_service.device(name)
        push_service.answer(device, 429 if len(name) % 2 else 503, Retry_After=value)
        subscribe(person, device)
        nudges[name] = add_nudge(push_app, person)
    soon = push_service.device("soon")  # an HTTP date ten minutes ahead
    push_service.answer(soon, 503, Retry_After=format_datetime(
        utcnow() + timedelta(minutes=10), usegmt=True))
    subscribe(people["fine"], soon)
    happy, phone = sign_up(push_app), push_service.device("phone")
    subscribe(happy, phone)
    delivered = add_nudge(push_app, happy)

    now = utcnow()
    assert run(push_app, now) == {"retry": len(ODD_ANSWERS), "sent": 1}

    assert [m["notification"]["data"]["nudge_id"] for m in phone.received()] == [str(delivered)]
    assert nudge_of(push_app, delivered).status == "sent"
    for name, (_value, wait) in ODD_ANSWERS.items():
        row = nudge_of(push_app, nudges[name])
        assert row.status == "scheduled" and row.attempts == 1 and row.lease_until is None, name
        if name != "fine":
            assert row.next_attempt_at == now + timedelta(seconds=wait), name
    # "fine" also had the device asking for ten minutes (less a few seconds of test).
    fine_wait = (nudge_of(push_app, nudges["fine"]).next_attempt_at - now).total_seconds()
    assert 500 <= fine_wait <= 600
    rows = subscription_rows(push_app)
    for device in [*devices.values(), soon]:
        assert rows[device.endpoint].failure_count == 1, device.path
        assert rows[device.endpoint].disabled_at is None, device.path


def test_the_test_push_answers_202_whatever_retry_after_says(push_app, push_service):
    signed_in = sign_up(push_app)
    odd = []
    for name, (value, _wait) in list(ODD_ANSWERS.items())[:5]:
        device = push_service.device(name)
        push_service.answer(device, 429, Retry_After=value)
        odd.append(device)
    phone = push_service.device("phone")
    subscribe(signed_in, phone, *odd)
    response = signed_in.post("/api/push/test")
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.get_json() == {"devices": 6, "delivered": 1}
    [message] = phone.received()
    assert message["notification"]["title"] == "Notifications are on"
    rows = subscription_rows(push_app)
    assert all(rows[d.endpoint].failure_count == 1 for d in odd)
    assert rows[phone.endpoint].failure_count == 0 and rows[phone.endpoint].last_success_at


def test_an_error_recording_one_nudge_is_logged_rolled_back_and_the_rest_recorded(
        push_app, push_service, monkeypatch, caplog):
    people = [sign_up(push_app) for _ in range(3)]
    devices = [push_service.device(f"person-{n}") for n in range(3)]
    ids = []
    for person, device in zip(people, devices):
        subscribe(person, device)
        ids.append(add_nudge(push_app, person))
    bad = ids[1]
    settle = dispatcher.settle  # used by the batch's record and by each nudge's alike

    def failing_settle(nudge, outcomes, now):
        if nudge.id == bad:
            raise RuntimeError("the database said no")
        return settle(nudge, outcomes, now)

    monkeypatch.setattr(dispatcher, "settle", failing_settle)
    # The test run's in-process migrations (Alembic's fileConfig) disabled existing loggers.
    monkeypatch.setattr(logging.getLogger(dispatcher.__name__), "disabled", False)
    now = utcnow()
    with caplog.at_level(logging.ERROR):
        assert run(push_app, now) == {"sent": 2, "error": 1}
    assert any(str(bad) in record.getMessage() and record.exc_info for record in caplog.records), [
        (r.name, r.getMessage()) for r in caplog.records]

    good = [nudge_of(push_app, i) for i in (ids[0], ids[2])]
    assert all(row.status == "sent" for row in good)
    row = nudge_of(push_app, bad)  # nothing of its results was kept: the lease stands
    assert row.status == "scheduled" and row.sent_at is None and row.lease_until is not None
    rows = subscription_rows(push_app)
    assert rows[devices[1].endpoint].last_success_at is None
    assert rows[devices[0].endpoint].last_success_at and rows[devices[2].endpoint].last_success_at

    # When its lease runs out it is claimed again, like a nudge whose worker died.
    monkeypatch.setattr(dispatcher, "settle", settle)
    assert run(push_app, now + dispatcher.LEASE + timedelta(seconds=1)) == {"sent": 1}
    assert nudge_of(push_app, bad).status == "sent"
    assert len(devices[1].received()) == 2  # at least once: sent again after the failure
