"""Snoozing and cancelling, as SPEC §6 says (issue 9 items 6 and 13; issue 10 item 7):
a cancelled or failed nudge cannot be snoozed, a snooze replans at once under the
caps and quiet hours, and a cancelled nudge keeps no company or contact name."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from backend.extensions import db
from backend.models import Nudge, utcnow
from backend.versions import bump_version
from tests.helpers import error_of


def _nudges(client):
    return {n["id"]: n for n in client.get("/api/nudges").get_json()}


def _of_kind(client, kind):
    return next(n for n in _nudges(client).values() if n["kind"] == kind)


def _set(app, nudge_id, **values):
    with app.app_context():
        row = db.session.get(Nudge, uuid.UUID(nudge_id))
        for name, value in values.items():
            setattr(row, name, value)
        row.version = bump_version(row.user_id)
        db.session.commit()


@pytest.mark.parametrize("status", ["cancelled", "failed"])
def test_a_cancelled_or_failed_nudge_cannot_be_snoozed(app, signed_in, db_state, status):
    signed_in.post("/api/rejections", {"company": "Acme"})
    reflect = _of_kind(signed_in, "reflect")
    _set(app, reflect["id"], status=status)
    before = db_state()
    error = error_of(signed_in.patch(f"/api/nudges/{reflect['id']}", {"snooze_days": 2}),
                     422, "validation_error")
    assert "cannot be snoozed" in error["fields"]["snooze_days"][0]
    assert db_state() == before
    # the same through sync: the mutation is refused with the same message
    mutation_id = str(uuid.uuid4())
    body = signed_in.post("/api/sync", {"cursor": 0, "mutations": [
        {"mutation_id": mutation_id, "entity": "nudges", "op": "upsert", "id": reflect["id"],
         "fields": {"snooze_days": 2}}]}).get_json()
    assert [r["mutation_id"] for r in body["rejected"]] == [mutation_id]
    assert db_state() == before
    # reading or dismissing it is still fine
    assert signed_in.patch(f"/api/nudges/{reflect['id']}", {"read": True}).status_code == 200


def _hhmm(moment):
    return moment.strftime("%H:%M")


def test_snoozing_a_sent_nudge_replans_it_at_once_outside_quiet_hours(app, signed_in):
    now = utcnow()
    # quiet from an hour ago to three hours ahead, every day (the user's zone is UTC)
    signed_in.patch("/api/me", {"settings": {"quiet_start": _hhmm(now - timedelta(hours=1)),
                                             "quiet_end": _hhmm(now + timedelta(hours=3))}})
    signed_in.post("/api/rejections", {"company": "Acme"})
    reflect = _of_kind(signed_in, "reflect")
    _set(app, reflect["id"], status="sent", sent_at=now, due_at=now - timedelta(minutes=5))
    response = signed_in.patch(f"/api/nudges/{reflect['id']}", {"snooze_days": 1})
    assert response.status_code == 200, response.get_json()
    again = _nudges(signed_in)[reflect["id"]]
    due = datetime.fromisoformat(again["due_at"])
    assert again["status"] == "scheduled"
    assert due >= now + timedelta(days=1)
    # now + 1 day falls in the quiet window; the replan (no sweep ran) moved it past its end
    quiet_end = (now + timedelta(days=1, hours=3)).replace(second=0, microsecond=0)
    assert due >= quiet_end - timedelta(minutes=1), (due, quiet_end)


def test_deleting_a_rejection_leaves_no_company_in_its_cancelled_nudges(app, signed_in):
    signed_in.patch("/api/me", {"settings": {"detailed_notifications": True}})
    rejection = signed_in.post("/api/rejections", {"company": "Zyxcorp", "mood": 1,
                                                   "stage": "interview"}).get_json()
    named = [n for n in _nudges(signed_in).values() if "Zyxcorp" in n["body"]]
    assert named  # detailed notifications name the company
    assert signed_in.delete(f"/api/rejections/{rejection['id']}").status_code == 204
    after = _nudges(signed_in)
    for nudge in named:
        assert after[nudge["id"]]["status"] == "cancelled"
        assert "Zyxcorp" not in after[nudge["id"]]["title"] + after[nudge["id"]]["body"]
    export = signed_in.get("/api/me/export").get_data(as_text=True)
    assert "Zyxcorp" not in export
    # and what sync sends to a new device says nothing of it either
    pulled = signed_in.post("/api/sync", {"cursor": 0, "mutations": []}).get_json()
    assert "Zyxcorp" not in str(pulled)


def test_a_cancelled_nudge_gets_its_words_back_when_it_is_wanted_again(app, signed_in):
    signed_in.patch("/api/me", {"settings": {"detailed_notifications": True}})
    signed_in.post("/api/rejections", {"company": "Zyxcorp"})
    signed_in.patch("/api/me", {"settings": {"nudge_kinds": {"apply": False}}})
    apply = _of_kind(signed_in, "apply")
    assert apply["status"] == "cancelled" and "Zyxcorp" not in apply["body"]
    signed_in.patch("/api/me", {"settings": {"nudge_kinds": {"apply": True}}})
    again = _nudges(signed_in)[apply["id"]]
    assert again["status"] == "scheduled" and "Zyxcorp" in again["body"]


