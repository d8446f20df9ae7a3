"""A write re-plans only when it changes something a rule can see (issue 14, item 2):
a check-in's note or a rejection's feelings leave the plan as it was, and cost no
reconcile; a new record, a deletion, or a seen field (lessons, mood) re-plans."""
import pytest

from backend.nudges import reconcile

NOTHING_SEEN = [
    ("rejections", {"company": "Acme", "stage": "interview"}, {"feelings": "Gutted, honestly."}),
    ("rejections", {"company": "Acme"}, {"reframe": "One step closer.", "role": "Designer"}),
    ("checkins", {"mood": 3, "at": "2026-12-01T10:00:00Z"}, {"note": "Slept badly.", "mood": 2}),
    ("contacts", {"name": "Sam"}, {"notes": "Knows the hiring manager."}),
    ("applications", {"company": "Initech"}, {"notes": "Referral from Sam."}),
]
SEEN = [
    ("rejections", {"company": "Acme"}, {"lessons": "Ask about the team earlier."}),
    ("rejections", {"company": "Acme"}, {"mood": 1}),
    ("checkins", {"mood": 3, "at": "2026-12-01T10:00:00Z"}, {"at": "2026-12-02T10:00:00Z"}),
    ("contacts", {"name": "Sam"}, {"name": "Samira"}),
    ("applications", {"company": "Initech"}, {"applied_on": "2026-11-30"}),
]


@pytest.fixture
def reconciles(monkeypatch):
    calls = []
    real = reconcile.reconcile
    monkeypatch.setattr(reconcile, "reconcile", lambda user_id, now=None: (
        calls.append(user_id), real(user_id, now))[1])
    return calls


def plan_of(client):
    return sorted((n["dedupe_key"] if "dedupe_key" in n else n["kind"], n["status"], n["due_at"],
                   n["version"]) for n in client.get("/api/nudges").get_json())


@pytest.mark.parametrize(("entity", "first", "edit"), NOTHING_SEEN)
def test_an_edit_no_rule_sees_costs_no_replan(signed_in, reconciles, entity, first, edit):
    record = signed_in.post(f"/api/{entity}", first).get_json()
    assert len(reconciles) == 1  # a new record always re-plans
    before = plan_of(signed_in)
    answer = signed_in.patch(f"/api/{entity}/{record['id']}", edit)
    assert answer.status_code == 200, answer.get_json()
    assert all(answer.get_json()[k] == v for k, v in edit.items() if k != "at")
    assert len(reconciles) == 1
    assert plan_of(signed_in) == before


@pytest.mark.parametrize(("entity", "first", "edit"), SEEN)
def test_an_edit_a_rule_sees_replans(signed_in, reconciles, entity, first, edit):
    record = signed_in.post(f"/api/{entity}", first).get_json()
    answer = signed_in.patch(f"/api/{entity}/{record['id']}", edit)
    assert answer.status_code == 200, answer.get_json()
    assert len(reconciles) == 2
    signed_in.delete(f"/api/{entity}/{record['id']}")
    assert len(reconciles) == 3
