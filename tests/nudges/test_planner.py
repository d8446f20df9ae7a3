"""The pure planner (SPEC §6), table-driven with a fixed `now` and no app."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from backend.nudges.planner import Snapshot, plan
from backend.nudges.texts import MAX_BODY

UTC = timezone.utc
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # Monday 2 March 2026, early morning
KINDS = ("break", "support", "apply", "feedback", "reflect", "big_picture")


def settings(only=None, **changes):
    base = {"quiet_start": "21:00", "quiet_end": "08:00", "max_nudges_per_day": 2,
            "max_nudges_per_week": 6, "detailed_notifications": False,
            "nudge_kinds": {k: only is None or k in only for k in KINDS}}
    return {**base, **changes}


def rejection(n=1, received_on=date(2026, 3, 2), **fields):
    return {"id": f"r{n}", "company": "Acme", "stage": "application", "received_on": received_on,
            "mood": 4, "feedback_status": "not_requested", "feedback_requested_on": None,
            "lessons": None, "application_id": None, **fields}


def snap(tz="UTC", only=None, settings_changes=None, **records):
    return Snapshot(timezone=tz, settings=settings(only, **(settings_changes or {})), **records)


def local(result, tz):
    return [(d.key, d.due_at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")) for d in result]


def at(text, tz="UTC"):
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


RULES = [
    # (name, kinds on, records, expected [(key, local time)])
    ("reflect two days later at 19:00", {"reflect"}, {"rejections": [rejection()]},
     [("reflect:r1", "2026-03-04 19:00")]),
    ("no reflect once lessons are written", {"reflect"},
     {"rejections": [rejection(lessons="Prepare stories")]}, []),
    ("feedback next day at 10:00 after an interview", {"feedback"},
     {"rejections": [rejection(stage="interview")]}, [("feedback:r1", "2026-03-03 10:00")]),
    ("no feedback nudge before the interview stage", {"feedback"},
     {"rejections": [rejection(stage="screening")]}, []),
    ("feedback follow-up seven days after asking", {"feedback"},
     {"rejections": [rejection(stage="interview", feedback_status="requested",
                               feedback_requested_on=date(2026, 3, 1))]},
     [("feedback:r1:followup", "2026-03-08 10:00")]),
    ("no feedback nudge once received", {"feedback"},
     {"rejections": [rejection(stage="final_round", feedback_status="received")]}, []),
    ("support next day at noon when mood is 3", {"support"},
     {"rejections": [rejection(mood=3)]}, [("support:r1", "2026-03-03 12:00")]),
    ("a missing mood counts as 3", {"support"},
     {"rejections": [rejection(mood=None)]}, [("support:r1", "2026-03-03 12:00")]),
    ("no support nudge for a good mood", {"support"}, {"rejections": [rejection(mood=4)]}, []),
    ("no support nudge once the user reached out", {"support"},
     {"rejections": [rejection(mood=2)],
      "outreach": [{"contact_id": "c1", "at": at("2026-03-02T05:00")}]}, []),
    ("check in when a contact's cadence has elapsed", {"support"},
     {"contacts": [{"id": "c1", "name": "Sam", "check_in_every_days": 7,
                    "created_at": at("2026-02-25T09:00")}]},
     [("support:contact:c1:2026-03-04", "2026-03-04 12:00")]),
    ("the cadence counts from the last outreach", {"support"},
     {"contacts": [{"id": "c1", "name": "Sam", "check_in_every_days": 7,
                    "created_at": at("2026-01-01T09:00")}],
      "outreach": [{"contact_id": "c1", "at": at("2026-03-01T09:00")}]},
     [("support:contact:c1:2026-03-08", "2026-03-08 12:00")]),
    ("break next day at 18:00 when mood is 2", {"break"},
     {"rejections": [rejection(mood=2)]}, [("break:r1", "2026-03-03 18:00")]),
    ("break after a third rejection within 7 days", {"break"},
     {"rejections": [rejection(1, date(2026, 2, 25)), rejection(2, date(2026, 2, 28)),
                     rejection(3, date(2026, 3, 2))]}, [("break:r3", "2026-03-03 18:00")]),
    ("no break nudge right after a break", {"break"},
     {"rejections": [rejection(mood=1)],
      "breaks": [{"id": "b1", "started_at": at("2026-02-27T09:00"),
                  "ended_at": at("2026-03-01T09:00")}]}, []),
    ("apply three days later at 10:00", {"apply"},
     {"rejections": [rejection()]}, [("apply:r1", "2026-03-05 10:00")]),
    ("no apply nudge once an application was logged", {"apply"},
     {"rejections": [rejection()], "applications": [{"id": "a1", "applied_on": date(2026, 3, 2)}]},
     []),
    ("a welcome back the morning after a break ends", {"apply"},
     {"rejections": [rejection()],
      "breaks": [{"id": "b1", "started_at": at("2026-03-02T01:00"),
                  "ended_at": at("2026-03-02T05:00")}]},
     [("apply:break:b1", "2026-03-03 10:00")]),
    ("big picture on Sunday at 18:00 after an active week", {"big_picture"},
     {"rejections": [rejection()]}, [("big_picture:2026-03-08", "2026-03-08 18:00")]),
    ("no big picture after a quiet week", {"big_picture"}, {}, []),
]


@pytest.mark.parametrize("name,kinds,records,expected", RULES, ids=[r[0] for r in RULES])
def test_rules_table(name, kinds, records, expected):
    assert local(plan(snap(only=kinds, **records), NOW), "UTC") == expected


@pytest.mark.parametrize("tz,expected", [
    ("UTC", "2026-03-04 19:00"),
    ("Asia/Tokyo", "2026-03-04 19:00"),
    ("America/Los_Angeles", "2026-03-04 19:00"),
])
def test_rule_times_are_in_the_users_timezone(tz, expected):
    [nudge] = plan(snap(tz, only={"reflect"}, rejections=[rejection()]), NOW)
    assert local([nudge], tz) == [("reflect:r1", expected)]
    assert nudge.due_at == at(expected.replace(" ", "T"), tz)


@pytest.mark.parametrize("tz,received,expected_utc", [
    # New York moves to EDT on Sunday 8 March 2026: 19:00 is 23:00 UTC that day, 00:00 before.
    ("America/New_York", date(2026, 3, 6), "2026-03-08T23:00"),
    ("America/New_York", date(2026, 3, 5), "2026-03-08T00:00"),
    # Berlin moves to CEST on 29 March 2026.
    ("Europe/Berlin", date(2026, 3, 27), "2026-03-29T17:00"),
])
def test_rule_times_follow_a_dst_change(tz, received, expected_utc):
    now = datetime(2026, 3, 5, 0, 0, tzinfo=UTC) if received.day < 20 else \
        datetime(2026, 3, 27, 0, 0, tzinfo=UTC)
    [nudge] = plan(snap(tz, only={"reflect"}, rejections=[rejection(received_on=received)]), now)
    assert nudge.due_at.astimezone(ZoneInfo(tz)).hour == 19
    assert nudge.due_at == datetime.fromisoformat(expected_utc).replace(tzinfo=UTC)


def test_quiet_hours_move_a_nudge_to_their_end():
    result = plan(snap(only={"reflect"}, settings_changes={"quiet_start": "18:00",
                                                           "quiet_end": "11:30"},
                       rejections=[rejection()]), NOW)
    assert local(result, "UTC") == [("reflect:r1", "2026-03-05 11:30")]


def test_quiet_hours_inside_one_day():
    result = plan(snap(only={"feedback"}, settings_changes={"quiet_start": "09:00",
                                                            "quiet_end": "13:00"},
                       rejections=[rejection(stage="interview")]), NOW)
    assert local(result, "UTC") == [("feedback:r1", "2026-03-03 13:00")]


def test_a_switched_off_kind_is_never_planned():
    result = plan(snap(rejections=[rejection(mood=1, stage="interview")],
                       settings_changes={"nudge_kinds": {**{k: True for k in KINDS},
                                                         "break": False}}), NOW)
    assert result and all(n.kind != "break" for n in result)


def test_the_daily_cap_moves_lower_priority_to_the_next_day_with_room():
    # support 12:00, feedback 10:00 and break 18:00 all want Tuesday.
    result = plan(snap(only={"support", "feedback", "break"},
                       settings_changes={"max_nudges_per_day": 1},
                       rejections=[rejection(mood=1, stage="interview")]), NOW)
    assert local(result, "UTC") == [("support:r1", "2026-03-03 12:00"),
                                    ("break:r1", "2026-03-04 18:00"),
                                    ("feedback:r1", "2026-03-05 10:00")]


def test_the_rolling_week_cap_counts_sent_nudges():
    sent = [{"key": f"old{i}", "status": "sent", "due_at": at(f"2026-02-2{i}T12:00"),
             "sent_at": at(f"2026-02-2{i}T12:00")} for i in range(5, 8)]
    result = plan(snap(only={"reflect", "apply"}, settings_changes={"max_nudges_per_week": 3},
                       rejections=[rejection()], nudges=sent), NOW)
    # Three sent 25-27 Feb: reflect fits; apply waits until 26 Feb has left the window.
    assert local(result, "UTC") == [("reflect:r1", "2026-03-04 19:00"),
                                    ("apply:r1", "2026-03-06 10:00")]


def test_never_two_within_two_hours_higher_priority_keeps_its_time():
    result = plan(snap(only={"break", "reflect"},
                       rejections=[rejection(1, date(2026, 3, 1)),
                                   rejection(2, date(2026, 3, 2), mood=1)]), NOW)
    times = local(result, "UTC")
    assert ("break:r2", "2026-03-03 18:00") in times
    assert ("reflect:r1", "2026-03-03 20:00") in times
    assert ("reflect:r2", "2026-03-04 19:00") in times


def test_an_active_break_allows_only_support_and_big_picture():
    records = {"rejections": [rejection(mood=1, stage="interview")],
               "breaks": [{"id": "b1", "started_at": at("2026-03-02T05:00"), "ended_at": None}]}
    kinds = {n.kind for n in plan(snap(**records), NOW)}
    assert kinds == {"support", "big_picture"}


def test_a_rule_more_than_a_day_past_is_skipped():
    result = plan(snap(only={"reflect"}, rejections=[rejection(received_on=date(2026, 2, 26))]),
                  NOW)
    assert result == []


def test_a_rule_less_than_a_day_past_goes_to_the_next_allowed_moment():
    now = at("2026-03-03T22:00")  # reflect was due at 19:00, quiet hours until 08:00
    result = plan(snap(only={"reflect"}, rejections=[rejection(received_on=date(2026, 3, 1))]),
                  now)
    assert local(result, "UTC") == [("reflect:r1", "2026-03-04 08:00")]


def test_a_snoozed_nudge_keeps_its_later_time():
    snoozed = {"key": "reflect:r1", "status": "scheduled", "due_at": at("2026-03-06T19:00"),
               "sent_at": None}
    result = plan(snap(only={"reflect"}, rejections=[rejection()], nudges=[snoozed]), NOW)
    assert local(result, "UTC") == [("reflect:r1", "2026-03-06 19:00")]


@pytest.mark.parametrize("status,dismissed,revivable,planned", [
    ("sent", False, False, False), ("failed", False, False, False),
    ("scheduled", True, False, False), ("cancelled", False, False, False),
    ("cancelled", False, True, True),
])
def test_a_done_nudge_is_not_planned_again(status, dismissed, revivable, planned):
    row = {"key": "reflect:r1", "status": status, "due_at": at("2026-03-04T19:00"),
           "sent_at": at("2026-03-04T19:00") if status == "sent" else None,
           "dismissed": dismissed, "revivable": revivable}
    result = plan(snap(only={"reflect"}, rejections=[rejection()], nudges=[row]), NOW)
    assert bool(result) == planned


def test_text_names_nobody_unless_detailed_notifications_are_on():
    records = {"rejections": [rejection(mood=1, stage="interview", company="Initech " * 30)],
               "contacts": [{"id": "c1", "name": "Sam Rivers", "check_in_every_days": None,
                             "created_at": at("2026-01-01T00:00")}]}
    plain = plan(snap(settings_changes={"max_nudges_per_day": 9, "max_nudges_per_week": 99},
                      **records), NOW)
    detailed = plan(snap(settings_changes={"detailed_notifications": True,
                                           "max_nudges_per_day": 9, "max_nudges_per_week": 99},
                         **records), NOW)
    assert len(plain) == len(detailed) == 6
    for nudge in plain:
        assert "Initech" not in nudge.body + nudge.title and "Sam" not in nudge.body
    bodies = " ".join(n.body for n in detailed)
    assert "Initech" in bodies and "Sam Rivers" in bodies
    for nudge in plain + detailed:
        assert 0 < len(nudge.body) <= MAX_BODY and len(nudge.title) <= 60
        for word in ("streak", "should have", "failed", "don't give up"):
            assert word not in nudge.body.lower()


def test_planning_twice_gives_the_same_nudges():
    records = {"rejections": [rejection(mood=1, stage="interview")]}
    first = plan(snap(**records), NOW)
    again = plan(snap(nudges=[{"key": d.key, "status": "scheduled", "due_at": d.due_at,
                               "sent_at": None} for d in first], **records), NOW)
    assert again == first


def test_a_snoozed_check_in_is_kept_after_its_day_has_passed():
    contact = {"id": "c1", "name": "Sam", "check_in_every_days": 7,
               "created_at": at("2026-02-20T09:00")}
    snoozed = {"key": "support:contact:c1:2026-02-27", "status": "scheduled",
               "due_at": at("2026-03-04T12:00"), "sent_at": None}
    result = plan(snap(only={"support"}, contacts=[contact], nudges=[snoozed]), NOW)
    assert ("support:contact:c1:2026-02-27", "2026-03-04 12:00") in local(result, "UTC")


def test_a_snoozed_big_picture_is_kept_into_the_next_week():
    snoozed = {"key": "big_picture:2026-02-22", "status": "scheduled",
               "due_at": at("2026-03-03T18:00"), "sent_at": None}
    records = {"rejections": [rejection(received_on=date(2026, 2, 18))]}
    result = plan(snap(only={"big_picture"}, nudges=[snoozed], **records), NOW)
    assert local(result, "UTC") == [("big_picture:2026-02-22", "2026-03-03 18:00")]
