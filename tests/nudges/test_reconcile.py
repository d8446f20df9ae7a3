"""Reconcile after each write, seen through the REST API and sync (SPEC §6)."""
import uuid

from backend.models import utcnow
from tests.factories import make_nudge
from tests.helpers import sign_up


def nudges(client):
    return {n["id"]: n for n in client.get("/api/nudges").get_json()}


def statuses(client):
    return sorted((n["kind"], n["status"]) for n in nudges(client).values()
                  if n["kind"] != "big_picture")


def test_logging_a_rejection_plans_reflect_support_and_apply(signed_in):
    rejection = signed_in.post("/api/rejections", {"company": "Acme"}).get_json()
    assert statuses(signed_in) == [("apply", "scheduled"), ("reflect", "scheduled"),
                                   ("support", "scheduled")]
    for nudge in nudges(signed_in).values():
        assert "Acme" not in nudge["title"] + nudge["body"]
        assert len(nudge["body"]) <= 140
        assert nudge["version"] > rejection["version"]


def test_a_low_mood_after_an_interview_also_plans_break_and_feedback(signed_in):
    signed_in.post("/api/rejections", {"company": "Acme", "mood": 1, "stage": "interview"})
    kinds = {kind for kind, status in statuses(signed_in) if status == "scheduled"}
    assert kinds == {"apply", "reflect", "support", "break", "feedback"}


def test_writing_a_lesson_cancels_reflect(signed_in):
    rejection = signed_in.post("/api/rejections", {"company": "Acme"}).get_json()
    signed_in.patch(f"/api/rejections/{rejection['id']}",
                    {"lessons": "Ask about the team earlier."})
    assert ("reflect", "cancelled") in statuses(signed_in)
    assert ("reflect", "scheduled") not in statuses(signed_in)


def test_starting_a_break_cancels_apply_and_ending_it_plans_a_welcome_back(signed_in):
    signed_in.post("/api/rejections", {"company": "Acme"})
    started = signed_in.post("/api/breaks", {"activities": ["walk"]}).get_json()
    assert statuses(signed_in) == [("apply", "cancelled"), ("reflect", "cancelled"),
                                   ("support", "scheduled")]
    signed_in.patch(f"/api/breaks/{started['id']}", {"ended_at": utcnow().isoformat()})
    welcome = [n for n in nudges(signed_in).values()
               if n["kind"] == "apply" and n["status"] == "scheduled"]
    assert [n["title"] for n in welcome] == ["Welcome back"]


def test_logging_an_application_cancels_apply(signed_in):
    signed_in.post("/api/rejections", {"company": "Acme"})
    signed_in.post("/api/applications", {"company": "Globex"})
    assert ("apply", "cancelled") in statuses(signed_in)


def test_deleting_the_rejection_cancels_its_nudges(signed_in):
    rejection = signed_in.post("/api/rejections", {"company": "Acme"}).get_json()
    assert signed_in.delete(f"/api/rejections/{rejection['id']}").status_code == 204
    assert {status for _kind, status in statuses(signed_in)} == {"cancelled"}


def test_turning_a_kind_off_cancels_its_nudges(signed_in):
    signed_in.post("/api/rejections", {"company": "Acme"})
    signed_in.patch("/api/me", {"settings": {"nudge_kinds": {"apply": False}}})
    assert ("apply", "cancelled") in statuses(signed_in)
    assert ("reflect", "scheduled") in statuses(signed_in)


def test_detailed_notifications_name_the_company(signed_in):
    signed_in.patch("/api/me", {"settings": {"detailed_notifications": True}})
    signed_in.post("/api/rejections", {"company": "Acme"})
    assert any("Acme" in n["body"] for n in nudges(signed_in).values())


def test_a_snoozed_nudge_stays_snoozed_after_later_writes(signed_in):
    signed_in.post("/api/rejections", {"company": "Acme"})
    reflect = next(n for n in nudges(signed_in).values() if n["kind"] == "reflect")
    snoozed = signed_in.patch(f"/api/nudges/{reflect['id']}", {"snooze_days": 3}).get_json()
    signed_in.post("/api/checkins", {"mood": 4})
    assert nudges(signed_in)[reflect["id"]]["due_at"] == snoozed["due_at"] > reflect["due_at"]


def test_sync_writes_plan_nudges_and_the_same_response_brings_them(signed_in):
    # The pull runs after the writes commit, so it sees the nudges their re-plan made.
    rejection_id = str(uuid.uuid4())
    first = signed_in.post("/api/sync", {"cursor": None, "mutations": [
        {"mutation_id": str(uuid.uuid4()), "entity": "rejections", "op": "upsert",
         "id": rejection_id, "fields": {"company": "Acme"}}]}).get_json()
    assert first["applied"] and ("reflect", "scheduled") in statuses(signed_in)
    assert {c["data"]["kind"] for c in first["changes"] if c["entity"] == "nudges"} >= {
        "reflect", "support", "apply"}
    pulled = signed_in.post("/api/sync", {"cursor": first["cursor"], "mutations": []}).get_json()
    assert pulled["changes"] == []


def test_one_users_writes_never_plan_for_another(signed_in, other_signed_in):
    signed_in.post("/api/rejections", {"company": "Acme"})
    assert nudges(other_signed_in) == {}


def test_the_sweep_plans_what_writes_did_not_and_then_changes_nothing(app):
    from backend.extensions import db
    from backend.nudges.reconcile import sweep

    client = sign_up(app)
    app.config["NUDGES_PLAN_ON_WRITE"] = False
    client.post("/api/rejections", {"company": "Acme"})
    assert nudges(client) == {}
    with app.app_context():
        assert sweep() >= 3
        assert sweep() == 0
        db.session.remove()
    assert {"reflect", "support", "apply"} <= {n["kind"] for n in nudges(client).values()}


def test_a_second_row_for_one_users_nudge_key_is_refused_by_the_database(app, signed_in,
                                                                         other_signed_in,
                                                                         nudge_of):
    import pytest
    from sqlalchemy.exc import IntegrityError

    first = make_nudge(app, signed_in.user["id"], dedupe_key="reflect:one")
    # The same key is fine for someone else.
    make_nudge(app, other_signed_in.user["id"], dedupe_key="reflect:one")
    with pytest.raises(IntegrityError):
        make_nudge(app, signed_in.user["id"], dedupe_key="reflect:one")
    assert nudge_of(first).dedupe_key == "reflect:one"
