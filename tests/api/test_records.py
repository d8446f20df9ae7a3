"""REST resources: the same shape for every entity, ownership, and each entity's rules."""
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from backend.extensions import db
from tests.factories import EDITS, SAMPLES, make_nudge, make_record
from tests.helpers import error_of

ENTITIES = list(SAMPLES)


@pytest.mark.parametrize("entity", ENTITIES)
def test_create_read_update_list_delete(signed_in, entity):
    record = make_record(signed_in, entity)
    assert {"id", "created_at", "updated_at", "version"} <= set(record)
    for key, value in SAMPLES[entity].items():
        assert record[key] == value
    path = f"/api/{entity}/{record['id']}"
    assert signed_in.get(path).get_json() == record
    patched = signed_in.patch(path, EDITS[entity])
    assert patched.status_code == 200
    changed = patched.get_json()
    assert changed["version"] > record["version"]
    for key, value in EDITS[entity].items():
        assert changed[key] == value
    listed = signed_in.get(f"/api/{entity}").get_json()
    assert [r["id"] for r in listed] == [record["id"]]
    assert signed_in.delete(path).status_code == 204
    error_of(signed_in.get(path), 404, "not_found")
    error_of(signed_in.patch(path, EDITS[entity]), 404, "not_found")
    assert signed_in.get(f"/api/{entity}").get_json() == []


@pytest.mark.parametrize("entity", ENTITIES)
def test_client_may_choose_the_id_once(signed_in, entity, db_state):
    record_id = str(uuid.uuid4())
    assert make_record(signed_in, entity, id=record_id)["id"] == record_id
    before = db_state()
    body = {**SAMPLES[entity], "id": record_id}
    if entity == "outreach":
        body["contact_id"] = signed_in.get("/api/contacts").get_json()[0]["id"]
    error_of(signed_in.post(f"/api/{entity}", body), 409, "conflict")
    assert db_state() == before


@pytest.mark.parametrize("verb", ["get", "patch", "delete"])
@pytest.mark.parametrize("entity", ENTITIES + ["nudges"])
def test_another_users_record_is_404_and_untouched(app, signed_in, other_signed_in, entity, verb,
                                                   db_state):
    if entity == "nudges":
        record_id = str(make_nudge(app, other_signed_in.user["id"]))
        edit = {"read": True}
    else:
        record_id = make_record(other_signed_in, entity)["id"]
        edit = EDITS[entity]
    path = f"/api/{entity}/{record_id}"
    theirs = other_signed_in.get(path).get_json()
    before = db_state()
    response = {"get": lambda: signed_in.get(path), "patch": lambda: signed_in.patch(path, edit),
                "delete": lambda: signed_in.delete(path)}[verb]()
    if entity == "nudges" and verb == "delete":
        error_of(response, 405, "method_not_allowed")
    else:
        error_of(response, 404, "not_found")
    assert db_state() == before
    assert other_signed_in.get(path).get_json() == theirs


@pytest.mark.parametrize("entity", ENTITIES + ["nudges"])
def test_other_verbs_on_another_users_record_change_nothing(app, signed_in, other_signed_in, entity,
                                                            db_state):
    if entity == "nudges":
        record_id = str(make_nudge(app, other_signed_in.user["id"]))
    else:
        record_id = make_record(other_signed_in, entity)["id"]
    path = f"/api/{entity}/{record_id}"
    theirs = other_signed_in.get(path).get_json()
    own_contact = make_record(signed_in, "contacts")["id"] if entity == "outreach" else None
    before = db_state()
    for method in ("PUT", "POST"):
        error_of(signed_in.request(method, path, json={"company": "Mine"}), 405,
                 "method_not_allowed")
    if entity == "nudges":
        error_of(signed_in.post("/api/nudges", {"id": record_id}), 405, "method_not_allowed")
    else:
        # Creating with their id: "id already used" (SPEC §4), never a takeover of the row.
        body = {**SAMPLES[entity], "id": record_id}
        if entity == "outreach":
            body["contact_id"] = own_contact
        error_of(signed_in.post(f"/api/{entity}", body), 409, "conflict")
    assert db_state() == before
    assert other_signed_in.get(path).get_json() == theirs


@pytest.mark.parametrize("entity,field,target", [
    ("rejections", "application_id", "applications"), ("outreach", "contact_id", "contacts")])
def test_a_patch_cannot_link_another_users_record(signed_in, other_signed_in, entity, field, target,
                                                  db_state):
    mine = make_record(signed_in, entity)
    theirs = make_record(other_signed_in, target)
    before = db_state()
    message = {"applications": "No such application.", "contacts": "No such contact."}[target]
    body = error_of(signed_in.patch(f"/api/{entity}/{mine['id']}", {field: theirs["id"]}),
                    422, "validation_error")
    assert body["fields"] == {field: [message]}
    assert db_state() == before
    assert other_signed_in.get(f"/api/{target}/{theirs['id']}").get_json() == theirs


@pytest.mark.parametrize("entity", ENTITIES + ["nudges"])
def test_lists_hold_only_the_users_own_records(app, signed_in, other_signed_in, entity):
    if entity == "nudges":
        make_nudge(app, other_signed_in.user["id"])
    else:
        make_record(other_signed_in, entity)
    assert signed_in.get(f"/api/{entity}").get_json() == []


def test_lists_are_newest_first_and_paged(signed_in):
    for day in range(1, 8):
        make_record(signed_in, "rejections", company=f"C{day}", received_on=f"2026-11-0{day}")
    response = signed_in.get("/api/rejections?page=1&page_size=3")
    assert [r["company"] for r in response.get_json()] == ["C7", "C6", "C5"]
    assert '"total": 7' in response.headers["X-Pagination"]
    response = signed_in.get("/api/rejections?page=3&page_size=3")
    assert [r["company"] for r in response.get_json()] == ["C1"]
    error_of(signed_in.get("/api/rejections?page_size=501"), 422, "validation_error")
    error_of(signed_in.get("/api/rejections?page=0"), 422, "validation_error")


def test_the_total_follows_every_write(signed_in):
    # A full page's total comes from a count kept per user version: each write moves it.
    for day in range(1, 5):
        make_record(signed_in, "rejections", company=f"C{day}", received_on=f"2026-11-0{day}")
    totals = []
    for step in ("add", "delete", "deep"):
        if step == "add":
            make_record(signed_in, "rejections", company="C5", received_on="2026-11-05")
        elif step == "delete":
            newest = signed_in.get("/api/rejections?page_size=1").get_json()[0]
            signed_in.delete(f"/api/rejections/{newest['id']}")
        page = "page=9&page_size=2" if step == "deep" else "page_size=2"
        response = signed_in.get(f"/api/rejections?{page}")
        totals.append(json.loads(response.headers["X-Pagination"])["total"])
    assert totals == [5, 4, 4]


def test_dates_default_to_today_in_the_users_timezone(app, client):
    client.register(timezone="Pacific/Kiritimati")  # UTC+14: often a day ahead of UTC
    record = client.post("/api/rejections", {"company": "Acme"}).get_json()
    from zoneinfo import ZoneInfo
    assert record["received_on"] == datetime.now(ZoneInfo("Pacific/Kiritimati")).date().isoformat()
    assert record["feedback_status"] == "not_requested"
    assert record["emotions"] == [] and record["thinking_traps"] == []


def test_times_are_utc_with_offset(signed_in):
    checkin = make_record(signed_in, "checkins", at="2026-11-20T09:30:00+02:00")
    assert checkin["at"] == "2026-11-20T07:30:00+00:00"
    assert checkin["created_at"].endswith("+00:00")


def test_every_write_takes_the_next_user_version(signed_in, other_signed_in):
    first = make_record(signed_in, "rejections")
    make_record(other_signed_in, "rejections")
    second = make_record(signed_in, "checkins")
    edited = signed_in.patch(f"/api/rejections/{first['id']}", {"mood": 3}).get_json()
    assert [first["version"], second["version"], edited["version"]] == [1, 2, 3]


def test_a_patch_that_changes_nothing_keeps_the_version(signed_in):
    record = make_record(signed_in, "rejections")
    same = signed_in.patch(f"/api/rejections/{record['id']}", {"mood": record["mood"]}).get_json()
    assert same["version"] == record["version"]


def test_logging_a_rejection_for_an_application_marks_it_rejected(signed_in):
    application = make_record(signed_in, "applications", applied_on="2026-10-01")
    assert application["status"] == "applied" and application["status_changed_on"] == "2026-10-01"
    make_record(signed_in, "rejections", application_id=application["id"])
    after = signed_in.get(f"/api/applications/{application['id']}").get_json()
    assert after["status"] == "rejected"
    assert after["status_changed_on"] != "2026-10-01"
    assert after["version"] > application["version"]


def test_a_rejection_cannot_link_another_users_application(signed_in, other_signed_in, db_state):
    theirs = make_record(other_signed_in, "applications")
    before = db_state()
    body = error_of(signed_in.post("/api/rejections", {"company": "Acme",
                                                       "application_id": theirs["id"]}),
                    422, "validation_error")
    assert body["fields"] == {"application_id": ["No such application."]}
    assert db_state() == before
    assert (other_signed_in.get(f"/api/applications/{theirs['id']}").get_json()["status"]
            == "applied")


def test_outreach_needs_the_users_own_contact(signed_in, other_signed_in, db_state):
    theirs = make_record(other_signed_in, "contacts")
    before = db_state()
    body = error_of(signed_in.post("/api/outreach", {"contact_id": theirs["id"]}),
                    422, "validation_error")
    assert body["fields"] == {"contact_id": ["No such contact."]}
    error_of(signed_in.post("/api/outreach", {}), 422, "validation_error")
    assert db_state() == before


def test_status_change_keeps_status_changed_on(signed_in):
    application = make_record(signed_in, "applications", applied_on="2026-09-01")
    changed = signed_in.patch(f"/api/applications/{application['id']}",
                              {"status": "screening"}).get_json()
    assert changed["status_changed_on"] != "2026-09-01"
    body = error_of(signed_in.patch(f"/api/applications/{application['id']}",
                                    {"status_changed_on": "2020-01-01"}), 422, "validation_error")
    assert "status_changed_on" in body["fields"]


def test_requesting_feedback_records_the_day(signed_in):
    record = make_record(signed_in, "rejections")
    changed = signed_in.patch(f"/api/rejections/{record['id']}",
                              {"feedback_status": "requested"}).get_json()
    assert changed["feedback_requested_on"] == changed["received_on"]


def test_a_second_active_break_is_409_and_changes_nothing(signed_in, db_state):
    first = make_record(signed_in, "breaks")
    before = db_state()
    error_of(signed_in.post("/api/breaks", {"note": "another"}), 409, "conflict")
    assert db_state() == before
    ended = signed_in.patch(f"/api/breaks/{first['id']}",
                            {"ended_at": datetime.now(timezone.utc).isoformat(), "mood_after": 4})
    assert ended.status_code == 200
    assert signed_in.post("/api/breaks", {}).status_code == 201


def test_reopening_an_ended_break_while_another_is_active_is_409(signed_in, db_state):
    old = make_record(signed_in, "breaks",
                      ended_at=(datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat())
    make_record(signed_in, "breaks")
    before = db_state()
    error_of(signed_in.patch(f"/api/breaks/{old['id']}", {"ended_at": None}), 409, "conflict")
    assert db_state() == before


def test_a_break_cannot_end_before_it_starts(signed_in, db_state):
    before = db_state()
    body = error_of(signed_in.post("/api/breaks", {"started_at": "2026-11-20T10:00:00Z",
                                                   "ended_at": "2026-11-19T10:00:00Z"}),
                    422, "validation_error")
    assert "ended_at" in body["fields"]
    assert db_state() == before


@pytest.mark.parametrize("channel,handle,ok", [
    ("email", "sam@example.org", True), ("email", "+44 7700 900123", False),
    ("phone", "+1 (555) 010", False), ("phone", "+49 30-1234.567", True),
    ("sms", "12345", False), ("sms", "1234567890123456", False), ("other", "@sam", True),
])
def test_contact_handle_must_fit_its_channel(signed_in, channel, handle, ok, db_state):
    before = db_state()
    response = signed_in.post("/api/contacts",
                              {"name": "Sam", "channel": channel, "handle": handle})
    if ok:
        assert response.status_code == 201
    else:
        assert error_of(response, 422, "validation_error")["fields"].keys() == {"handle"}
        assert db_state() == before


def test_a_rejection_keeps_the_recruiters_address_for_feedback(signed_in, db_state):
    rejection = make_record(signed_in, "rejections", company="Globex",
                            contact_email="sam.recruiter@globex.example")
    assert rejection["contact_email"] == "sam.recruiter@globex.example"
    before = db_state()
    path = f"/api/rejections/{rejection['id']}"
    body = error_of(signed_in.patch(path, {"contact_email": "sam at globex"}),
                    422, "validation_error")
    assert body["fields"] == {"contact_email": ["Must be a valid email address."]}
    assert db_state() == before
    cleared = signed_in.patch(path, {"contact_email": None}).get_json()
    assert cleared["contact_email"] is None


def test_contact_handle_is_checked_against_the_merged_record(signed_in, db_state):
    contact = make_record(signed_in, "contacts", channel="email", handle="sam@example.org")
    before = db_state()
    body = error_of(signed_in.patch(f"/api/contacts/{contact['id']}", {"channel": "phone"}),
                    422, "validation_error")
    assert body["fields"].keys() == {"handle"}
    assert db_state() == before


def test_nudges_are_read_only_except_their_marks(app, signed_in, db_state):
    nudge_id = str(make_nudge(app, signed_in.user["id"], status="sent"))
    listed = signed_in.get("/api/nudges").get_json()
    assert [n["id"] for n in listed] == [nudge_id]
    assert "dedupe_key" not in listed[0] and "lease_until" not in listed[0]
    read = signed_in.patch(f"/api/nudges/{nudge_id}", {"read": True}).get_json()
    assert read["read_at"] is not None
    snoozed = signed_in.patch(f"/api/nudges/{nudge_id}", {"snooze_days": 2}).get_json()
    assert snoozed["status"] == "scheduled"
    assert snoozed["due_at"] > read["due_at"]
    before = db_state()
    error_of(signed_in.patch(f"/api/nudges/{nudge_id}", {"title": "Mine now"}), 422,
             "validation_error")
    error_of(signed_in.patch(f"/api/nudges/{nudge_id}", {"snooze_days": 8}), 422,
             "validation_error")
    error_of(signed_in.post("/api/nudges", {"kind": "apply"}), 405, "method_not_allowed")
    error_of(signed_in.delete(f"/api/nudges/{nudge_id}"), 405, "method_not_allowed")
    assert db_state() == before


def test_a_deleted_record_keeps_no_words_of_the_user(app, signed_in):
    record = make_record(signed_in, "rejections", feelings="Gutted", lessons="Ask earlier",
                         emotions=["sad"])
    assert signed_in.delete(f"/api/rejections/{record['id']}").status_code == 204
    from backend.models import Rejection
    with app.app_context():
        row = db.session.get(Rejection, uuid.UUID(record["id"]))
        assert row.deleted_at is not None
        assert (row.company, row.feelings, row.lessons, row.emotions) == ("", None, None, [])


def test_deleting_twice_is_404_the_second_time(signed_in):
    record = make_record(signed_in, "contacts")
    assert signed_in.delete(f"/api/contacts/{record['id']}").status_code == 204
    error_of(signed_in.delete(f"/api/contacts/{record['id']}"), 404, "not_found")


def test_a_page_far_past_the_end_is_empty(signed_in):
    make_record(signed_in, "rejections")
    response = signed_in.get("/api/rejections?page=2305843009213687842&page_size=5")
    assert response.status_code == 200 and response.get_json() == []


@pytest.mark.parametrize("entity,field,target,edit", [
    ("rejections", "application_id", "applications", {"lessons": "Ask about the team."}),
    ("outreach", "contact_id", "contacts", {"note": "It helped."})])
def test_a_record_stays_editable_after_what_it_points_at_is_deleted(signed_in, entity, field,
                                                                    target, edit, db_state):
    pointed_at = make_record(signed_in, target)
    record = make_record(signed_in, entity, **{field: pointed_at["id"]})
    assert signed_in.delete(f"/api/{target}/{pointed_at['id']}").status_code == 204
    changed = signed_in.patch(f"/api/{entity}/{record['id']}", edit)
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()[field] == pointed_at["id"]
    # Pointing at a deleted record anew is still refused, and changes nothing.
    other = make_record(signed_in, entity)
    before = db_state()
    body = error_of(signed_in.patch(f"/api/{entity}/{other['id']}", {field: pointed_at["id"]}),
                    422, "validation_error")
    assert list(body["fields"]) == [field]
    assert db_state() == before
