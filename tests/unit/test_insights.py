"""Insights maths on plain data (no app, no database)."""
import uuid
from datetime import date, datetime, timezone

from backend.insights import compute

TODAY = date(2026, 11, 25)  # a Wednesday


def app(applied_on, status="applied", changed=None, id=None):
    return {"id": id or uuid.uuid4(), "applied_on": applied_on, "status": status,
            "status_changed_on": changed or applied_on}


def rejection(received_on, stage=None, mood=None, lessons=None, application_id=None):
    return {"application_id": application_id, "stage": stage, "received_on": received_on,
            "mood": mood, "lessons": lessons}


def empty(**data):
    base = {name: [] for name in ("applications", "rejections", "breaks", "outreach",
                                  "checkins")}
    return {**base, **data}


def at(day, hour=12):
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def test_weeks_are_mondays_oldest_first_ending_with_this_week():
    result = compute(empty(), TODAY, "UTC", 3, 5)
    assert [w["week_start"] for w in result["weeks"]] == ["2026-11-09", "2026-11-16",
                                                          "2026-11-23"]
    assert result["mood"] == [] and result["funnel"]["application"] == 0


def test_weekly_counts_use_each_records_own_day():
    data = empty(
        applications=[app(date(2026, 11, 23)), app(date(2026, 11, 16), "interviewing",
                                                   changed=date(2026, 11, 24))],
        rejections=[rejection(date(2026, 11, 17), "final_round"), rejection(date(2026, 1, 1))],
        breaks=[{"started_at": at(date(2026, 11, 22)), "ended_at": None, "mood_before": 2,
                 "mood_after": None}],
        outreach=[{"at": at(date(2026, 11, 25)), "mood_after": 4}],
    )
    weeks = compute(data, TODAY, "UTC", 2, 5)["weeks"]
    assert weeks[0] == {"week_start": "2026-11-16", "applications": 1, "rejections": 1,
                        "interviews_reached": 1, "breaks": 1, "outreach": 0}
    assert weeks[1] == {"week_start": "2026-11-23", "applications": 1, "rejections": 0,
                        "interviews_reached": 1, "breaks": 0, "outreach": 1}


def test_moments_count_on_the_users_local_day():
    late = datetime(2026, 11, 22, 23, 30, tzinfo=timezone.utc)  # Monday 00:30 in Berlin
    data = empty(outreach=[{"at": late, "mood_after": None}])
    assert compute(data, TODAY, "UTC", 1, 5)["weeks"][0]["outreach"] == 0
    assert compute(data, TODAY, "Europe/Berlin", 1, 5)["weeks"][0]["outreach"] == 1


def test_funnel_is_cumulative_and_a_rejection_after_an_interview_counts_as_reached():
    linked = uuid.uuid4()
    data = empty(
        applications=[app(date(2026, 11, 1), "rejected", id=linked), app(date(2026, 11, 2)),
                      app(date(2026, 11, 3), "accepted")],
        rejections=[rejection(date(2026, 11, 10), "interview", application_id=linked),
                    rejection(date(2026, 11, 11), "screening"), rejection(date(2026, 11, 12))],
    )
    result = compute(data, TODAY, "UTC", 4, 5)
    assert result["funnel"] == {"application": 5, "screening": 3, "interview": 2,
                                "final_round": 1, "offer": 1}
    assert result["totals"]["attempts"] == 5


def test_totals_count_responses_silence_and_lessons():
    data = empty(
        applications=[app(date(2026, 10, 1)), app(date(2026, 11, 20)),
                      app(date(2026, 11, 1), "ghosted"), app(date(2026, 11, 2), "screening")],
        rejections=[rejection(date(2026, 11, 3), lessons="Practise"),
                    rejection(date(2026, 11, 4), lessons="  ")],
        breaks=[{"started_at": at(date(2026, 11, 5)), "ended_at": None, "mood_before": None,
                 "mood_after": None}],
    )
    totals = compute(data, TODAY, "UTC", 12, 5)["totals"]
    assert totals == {"attempts": 6, "applications": 4, "rejections": 2, "responses": 3,
                      "silent": 2, "lessons": 1, "breaks": 1, "outreach": 0}


def test_mood_is_the_daily_mean_of_every_reading_within_the_weeks():
    day = date(2026, 11, 24)
    data = empty(
        checkins=[{"at": at(day, 9), "mood": 2}, {"at": at(day, 20), "mood": 3}],
        rejections=[rejection(day, mood=1), rejection(date(2026, 1, 1), mood=5)],
        breaks=[{"started_at": at(date(2026, 11, 23)), "ended_at": at(day),
                 "mood_before": 2, "mood_after": 4}],
        outreach=[{"at": at(date(2026, 11, 25)), "mood_after": 5}],
    )
    assert compute(data, TODAY, "UTC", 1, 5)["mood"] == [
        {"date": "2026-11-23", "mood": 2.0}, {"date": "2026-11-24", "mood": 2.5},
        {"date": "2026-11-25", "mood": 5.0}]


def test_goal_counts_applications_this_week():
    data = empty(applications=[app(date(2026, 11, 23)), app(date(2026, 11, 25)),
                               app(date(2026, 11, 22))])
    assert compute(data, TODAY, "UTC", 1, 3)["goal"] == {"target": 3, "done_this_week": 2}
