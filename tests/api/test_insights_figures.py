"""The newer insights figures over HTTP (SPEC §4): conversion, days to a response,
what helps; from the user's own live records only."""
from datetime import date, timedelta

from tests.helpers import ApiClient


def test_conversion_days_to_response_and_what_helps(app):
    me = ApiClient(app.test_client()).register()
    stranger = ApiClient(app.test_client()).register()
    today = date.today()
    applied = (today - timedelta(days=10)).isoformat()
    acme = me.post("/api/applications", {"company": "Acme", "applied_on": applied}).get_json()
    me.post("/api/rejections", {"company": "Acme", "application_id": acme["id"],
                                "stage": "interview", "mood": 2})
    me.post("/api/applications", {"company": "Quiet", "applied_on": applied})
    friend = me.post("/api/contacts", {"name": "Sam"}).get_json()
    for n in range(3):
        start = f"{(today - timedelta(days=9 - n)).isoformat()}T09:00:00+00:00"
        end = f"{(today - timedelta(days=9 - n)).isoformat()}T17:00:00+00:00"
        me.post("/api/breaks", {"started_at": start, "ended_at": end, "mood_before": 2,
                                "mood_after": 4, "activities": ["walk"]})
        me.post("/api/outreach", {"contact_id": friend["id"], "mood_after": 5,
                                  "at": f"{(today - timedelta(days=9 - n)).isoformat()}"
                                        "T18:00:00+00:00"})
    stranger.post("/api/breaks", {"mood_before": 1, "mood_after": 5, "activities": ["sleep"],
                                  "started_at": f"{applied}T09:00:00+00:00",
                                  "ended_at": f"{applied}T10:00:00+00:00"})

    result = me.get("/api/insights?weeks=4").get_json()
    assert result["conversion"] == [{"stage": "screening", "reached": 1, "of": 2},
                                    {"stage": "interview", "reached": 1, "of": 1},
                                    {"stage": "final_round", "reached": 0, "of": 1},
                                    {"stage": "offer", "reached": 0, "of": 0}]
    assert result["days_to_response"] == {"median": 10, "n": 1}
    # Each outreach at 18:00 follows that day's break (mood after 4): +1 each time.
    assert result["helps"] == [
        {"kind": "activity", "key": "walk", "readings": 3, "mean_change": 2.0},
        {"kind": "contact", "key": friend["id"], "readings": 3, "mean_change": 1.0}]
