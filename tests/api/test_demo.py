"""`flask --app backend demo create`: a demo account a newcomer can open (SPEC §8)."""
import re

from tests.helpers import ApiClient

STATUSES = {"applied", "screening", "interviewing", "offer", "accepted", "rejected",
            "withdrawn", "ghosted"}
STAGES = {"application", "screening", "interview", "final_round", "offer"}


def login(app, output):
    email, password = re.search(r"sign in as (\S+) with the password (\S+)", output).groups()
    client = ApiClient(app.test_client())
    return client, client.post("/api/auth/login", {"email": email, "password": password})


def sign_in(app, output):
    client, response = login(app, output)
    assert response.status_code == 200, response.get_json()
    return client


def listed(client, entity):
    return client.get(f"/api/{entity}?page_size=500").get_json()


def test_the_demo_account_fills_every_screen_and_can_be_made_again(app):
    app.config["NUDGES_PLAN_ON_WRITE"] = True  # as under `make run`
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "create"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["demo", "create"])
    assert again.exit_code == 0, again.output
    assert login(app, first.output)[1].status_code == 401  # made again: a fresh password
    demo = sign_in(app, again.output)

    applications = listed(demo, "applications")
    assert {a["status"] for a in applications} == STATUSES
    rejections = listed(demo, "rejections")
    assert {r["stage"] for r in rejections} == STAGES
    assert any(r["lessons"] for r in rejections) and any(r["mood"] == 1 for r in rejections)
    assert {r["feedback_status"] for r in rejections} == {"not_requested", "requested",
                                                          "received", "declined"}
    breaks = listed(demo, "breaks")
    assert breaks and all(b["ended_at"] and b["activities"] and b["mood_after"] for b in breaks)
    assert listed(demo, "contacts") and listed(demo, "outreach") and listed(demo, "checkins")
    nudges = listed(demo, "nudges")
    assert {n["status"] for n in nudges} >= {"scheduled", "sent", "failed", "cancelled"}
    assert any(n["read_at"] for n in nudges) and any(n["dismissed_at"] for n in nudges)

    insights = demo.get("/api/insights?weeks=13").get_json()
    assert sum(w["applications"] for w in insights["weeks"]) >= 20
    assert sum(w["rejections"] for w in insights["weeks"]) >= 8
    assert insights["funnel"]["interview"] > 0 and insights["funnel"]["offer"] > 0
    assert len(insights["mood"]) >= 25
    assert insights["days_to_response"]["n"] > 0 and insights["helps"]


def test_the_demo_account_takes_another_email(app):
    result = app.test_cli_runner().invoke(args=["demo", "create", "--email", "try@example.org"])
    assert result.exit_code == 0, result.output
    assert "try@example.org" in result.output
