"""The support rule's check-ins are found by arithmetic, not by stepping day by day
(issue 9 item 7): an outreach dated long ago costs what last week's does, and the
candidates are the ones stepping would give."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from backend.nudges import rules
from backend.nudges.planner import Snapshot

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc)


def _snapshot(every, last_outreach, zone="Europe/Berlin"):
    contact = {"id": "c1", "name": "Sam", "check_in_every_days": every,
               "created_at": datetime(2000, 1, 1, tzinfo=timezone.utc)}
    outreach = [{"id": "o1", "contact_id": "c1", "at": last_outreach}]
    return Snapshot(timezone=zone, settings={}, contacts=[contact], outreach=outreach)


def _stepping(snap, tz, now):
    """The rule as it was: every `every` days from the last outreach, one by one."""
    c = snap.contacts[0]
    every = c["check_in_every_days"]
    day = snap.outreach[0]["at"].astimezone(tz).date() + timedelta(days=every)
    found = []
    while True:
        moment = rules.at_local(day, 12, 0, tz)
        if moment >= now - rules.SNOOZE_REACH:
            found.append((f"support:contact:{c['id']}:{day.isoformat()}", moment))
        if moment >= now - timedelta(hours=24):
            return found
        day += timedelta(days=every)


def _checkins(snap, tz, now):
    return [(c.key, c.moment) for c in rules.support(snap, tz, now) if c.key.startswith("support:contact")]


def test_an_outreach_from_2000_with_a_daily_check_in_takes_a_few_steps(monkeypatch):
    calls = []
    real = rules.at_local
    monkeypatch.setattr(rules, "at_local", lambda *a: calls.append(a) or real(*a))
    tz = ZoneInfo("Europe/Berlin")
    snap = _snapshot(1, datetime(2000, 1, 1, 8, tzinfo=timezone.utc))
    found = _checkins(snap, tz, NOW)
    assert found and len(calls) <= 20  # 9,800 days back; stepping made ~9,800 calls
    assert found == _stepping(snap, tz, NOW)


@settings(max_examples=300, deadline=None)
@given(every=st.integers(1, 400), days_ago=st.integers(0, 9800), hour=st.integers(0, 23),
       zone=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Pacific/Auckland",
                             "Australia/Lord_Howe", "Pacific/Kiritimati"]),
       now_shift=st.integers(0, 24 * 366))
def test_the_same_check_ins_as_stepping(every, days_ago, hour, zone, now_shift):
    tz = ZoneInfo(zone)
    now = NOW + timedelta(hours=now_shift)  # across both daylight-saving changes
    last = (now - timedelta(days=days_ago)).replace(hour=hour, minute=0)
    snap = _snapshot(every, last, zone)
    assert _checkins(snap, tz, now) == _stepping(snap, tz, now)


def test_never_reached_counts_from_when_the_contact_was_added():
    tz = ZoneInfo("UTC")
    snap = Snapshot(timezone="UTC", settings={}, contacts=[{
        "id": "c1", "name": "Sam", "check_in_every_days": 7,
        "created_at": datetime(2000, 1, 3, tzinfo=timezone.utc)}])
    found = _checkins(snap, tz, NOW)
    days = [date.fromisoformat(key.rsplit(":", 1)[1]) for key, _ in found]
    assert days and all((d - date(2000, 1, 3)).days % 7 == 0 for d in days)
    assert days[-1] >= (NOW - timedelta(hours=24)).date()
