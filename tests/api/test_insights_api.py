"""GET /api/insights over HTTP: the user's own live records, in their timezone."""
from tests.helpers import error_of


def test_insights_counts_only_the_users_live_records(signed_in, other_signed_in):
    signed_in.patch("/api/me", {"settings": {"weekly_application_goal": 3}})
    signed_in.post("/api/applications", {"company": "Acme"})
    gone = signed_in.post("/api/rejections", {"company": "Gone", "mood": 1}).get_json()
    signed_in.delete(f"/api/rejections/{gone['id']}")
    signed_in.post("/api/rejections", {"company": "Globex", "stage": "interview", "mood": 2})
    other_signed_in.post("/api/rejections", {"company": "Not mine"})
    result = signed_in.get("/api/insights?weeks=4").get_json()
    assert len(result["weeks"]) == 4
    assert result["weeks"][-1]["applications"] == 1
    assert result["weeks"][-1]["rejections"] == 1
    assert result["weeks"][-1]["interviews_reached"] == 1
    assert result["totals"]["rejections"] == 1 and result["totals"]["attempts"] == 2
    assert result["funnel"]["interview"] == 1
    assert result["goal"] == {"target": 3, "done_this_week": 1}
    assert [m["mood"] for m in result["mood"]] == [2.0]


def test_insights_weeks_must_be_1_to_104(signed_in):
    assert len(signed_in.get("/api/insights").get_json()["weeks"]) == 12
    for weeks in ("0", "105", "many"):
        assert "weeks" in error_of(signed_in.get(f"/api/insights?weeks={weeks}"), 422,
                                   "validation_error")["fields"]


def test_insights_needs_a_session(client):
    error_of(client.get("/api/insights"), 401, "unauthorized")
