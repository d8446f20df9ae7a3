"""The weekly big picture carries this week's counts, never a name (issue 10 item 7)."""
from datetime import date, datetime, timezone

from backend.nudges.planner import plan
from backend.nudges.texts import MAX_BODY, text_for
from tests.nudges.test_planner import NOW, rejection, snap

UTC = timezone.utc


def _big_picture(**records):
    result = plan(snap(only={"big_picture"}, **records), NOW)
    return next(d for d in result if d.kind == "big_picture")


def test_the_body_counts_applications_interviews_breaks_and_reach_outs():
    applications = [
        {"id": "a1", "company": "Initech", "applied_on": date(2026, 3, 2), "status": "applied",
         "status_changed_on": date(2026, 3, 2)},
        {"id": "a2", "company": "Globex", "applied_on": date(2026, 3, 3), "status": "interviewing",
         "status_changed_on": date(2026, 3, 4)},
        {"id": "a3", "company": "Old", "applied_on": date(2026, 2, 1), "status": "applied",
         "status_changed_on": date(2026, 2, 1)},  # last month: not this week
    ]
    breaks = [{"id": "b1", "started_at": datetime(2026, 3, 3, 12, tzinfo=UTC),
               "ended_at": datetime(2026, 3, 3, 18, tzinfo=UTC), "planned_end_on": None}]
    outreach = [{"id": "o1", "contact_id": "c1", "at": datetime(2026, 3, 2, 9, tzinfo=UTC)},
                {"id": "o2", "contact_id": "c1", "at": datetime(2026, 3, 5, 9, tzinfo=UTC)}]
    rejections = [rejection(received_on=date(2026, 3, 2), stage="final_round", company="Acme")]
    nudge = _big_picture(applications=applications, breaks=breaks, outreach=outreach,
                         rejections=rejections)
    assert nudge.body.startswith(
        "This week: 2 applications, 2 interviews, 1 break and 2 reach-outs.")
    for name in ("Acme", "Initech", "Globex"):
        assert name not in nudge.title + nudge.body
    assert len(nudge.body) <= MAX_BODY


def test_only_counts_above_zero_are_named():
    nudge = _big_picture(rejections=[rejection(received_on=date(2026, 3, 3))])
    assert nudge.body.startswith("This week: ") is False  # a rejection alone is no figure here
    nudge = _big_picture(applications=[{"id": "a1", "company": "X", "applied_on": date(2026, 3, 3),
                                        "status": "applied", "status_changed_on": date(2026, 3, 3)}])
    assert nudge.body.startswith("This week: 1 application.")


def test_large_counts_still_fit_a_lock_screen():
    applications = [{"id": f"a{n}", "company": "X", "applied_on": date(2026, 3, 3),
                     "status": "interviewing", "status_changed_on": date(2026, 3, 4)}
                    for n in range(999)]
    nudge = _big_picture(applications=applications)
    assert "999 applications and 999 interviews." in nudge.body and len(nudge.body) <= MAX_BODY
    _title, body = text_for("big_picture", False, figures=(
        ("applications", 9999), ("interviews", 9999), ("breaks", 9999), ("reach-outs", 9999)))
    assert body.startswith("This week: 9999 applications, 9999 interviews, 9999 breaks and")
    assert len(body) <= MAX_BODY
