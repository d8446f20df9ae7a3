"""Stored but meaningless input is refused (issue 9 items 7, 9 and 12; SPEC §4 limits).

Each case: the request, the 422 body with its per-field message, and that nothing
else changed.
"""
import threading
import uuid
from datetime import date, timedelta

import pytest

from backend.extensions import db
from backend.models import Contact
from tests.factories import make_record
from tests.helpers import ApiClient, error_of

TODAY = date.today()
A_YEAR_AHEAD = TODAY + timedelta(days=366)


def _refused(signed_in, db_state, method, path, body, field, words):
    before = db_state()
    response = signed_in.request(method, path, json=body)
    error = error_of(response, 422, "validation_error")
    assert field in error["fields"], error
    assert any(words in message for message in error["fields"][field]), error
    assert db_state() == before
    return error


@pytest.mark.parametrize("company", [" ", "   ", "\t\n", "\u3000"])
def test_a_company_of_only_whitespace_is_missing(signed_in, db_state, company):
    _refused(signed_in, db_state, "POST", "/api/rejections", {"company": company, "stage": "application"},
             "company", "empty")
    _refused(signed_in, db_state, "POST", "/api/applications", {"company": company}, "company", "empty")


def test_a_contact_name_of_only_spaces_is_missing(signed_in, db_state):
    _refused(signed_in, db_state, "POST", "/api/contacts", {"name": "   "}, "name", "empty")


def test_whitespace_inside_a_company_is_kept(signed_in):
    response = signed_in.post("/api/rejections", {"company": " Acme  Labs ", "stage": "application"})
    assert response.status_code == 201
    assert response.get_json()["company"] == " Acme  Labs "


@pytest.mark.parametrize("field, items", [("emotions", ["sad", "sad"]),
                                          ("thinking_traps", ["mind_reading", "mind_reading"])])
def test_duplicate_items_in_a_list_are_refused(signed_in, db_state, field, items):
    _refused(signed_in, db_state, "POST", "/api/rejections",
             {"company": "Acme", "stage": "application", field: items}, field, "only once")


def test_duplicate_break_activities_are_refused(signed_in, db_state):
    _refused(signed_in, db_state, "POST", "/api/breaks", {"activities": ["walk", "walk"]},
             "activities", "only once")


def test_a_break_planned_to_end_before_it_starts_is_refused(signed_in, db_state):
    started = (TODAY - timedelta(days=2)).isoformat() + "T12:00:00Z"
    ending = (TODAY - timedelta(days=5)).isoformat()
    _refused(signed_in, db_state, "POST", "/api/breaks",
             {"started_at": started, "planned_end_on": ending}, "planned_end_on", "before")


def test_a_break_edited_to_end_before_its_start_is_refused(signed_in, db_state):
    brk = make_record(signed_in, "breaks", started_at=f"{TODAY.isoformat()}T08:00:00Z",
                      planned_end_on=TODAY.isoformat())
    _refused(signed_in, db_state, "PATCH", f"/api/breaks/{brk['id']}",
             {"planned_end_on": (TODAY - timedelta(days=1)).isoformat()}, "planned_end_on", "before")


def test_a_break_may_be_planned_to_end_on_the_day_it_starts_in_the_users_zone(app):
    # 23:30 UTC is already the next day in Auckland: that local day is the start
    client = ApiClient(app.test_client()).register(timezone="Pacific/Auckland")
    started = TODAY - timedelta(days=1)
    response = client.post("/api/breaks", {"started_at": f"{started.isoformat()}T23:30:00Z",
                                           "planned_end_on": TODAY.isoformat()})
    assert response.status_code == 201, response.get_json()


def test_feedback_asked_before_the_rejection_came_is_refused(signed_in, db_state):
    _refused(signed_in, db_state, "POST", "/api/rejections",
             {"company": "Acme", "stage": "application", "received_on": TODAY.isoformat(),
              "feedback_status": "requested",
              "feedback_requested_on": (TODAY - timedelta(days=3)).isoformat()},
             "feedback_requested_on", "after")
    rejection = make_record(signed_in, "rejections", received_on=TODAY.isoformat())
    _refused(signed_in, db_state, "PATCH", f"/api/rejections/{rejection['id']}",
             {"feedback_requested_on": (TODAY - timedelta(days=1)).isoformat()},
             "feedback_requested_on", "after")


@pytest.mark.parametrize("entity, field", [("rejections", "received_on"),
                                           ("applications", "applied_on"),
                                           ("breaks", "planned_end_on")])
@pytest.mark.parametrize("day", ["1900-01-01", "1999-12-31", A_YEAR_AHEAD + timedelta(days=1)])
def test_dates_before_2000_or_over_a_year_ahead_are_refused(signed_in, db_state, entity, field, day):
    body = {"rejections": {"company": "Acme", "stage": "application"},
            "applications": {"company": "Acme"}, "breaks": {}}[entity]
    _refused(signed_in, db_state, "POST", f"/api/{entity}", {**body, field: str(day)}, field,
             "between 2000-01-01 and")


@pytest.mark.parametrize("moment", ["1999-12-31T23:00:00Z", "1900-06-01T10:00:00+02:00",
                                    f"{A_YEAR_AHEAD + timedelta(days=1)}T00:00:00Z"])
def test_moments_before_2000_or_over_a_year_ahead_are_refused(signed_in, db_state, moment):
    _refused(signed_in, db_state, "POST", "/api/checkins", {"mood": 3, "at": moment}, "at",
             "between 2000-01-01 and")
    contact = make_record(signed_in, "contacts")
    _refused(signed_in, db_state, "POST", "/api/outreach",
             {"contact_id": contact["id"], "channel": "phone", "at": moment}, "at", "between")


def test_the_first_and_last_allowed_days_are_accepted(signed_in):
    for day in ("2000-01-01", A_YEAR_AHEAD.isoformat()):
        response = signed_in.post("/api/applications", {"company": "Acme", "applied_on": day})
        assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("zone", ["Factory", "localtime", "posixrules", "posix/Europe/Berlin",
                                  "right/UTC"])
def test_timezones_that_are_not_places_are_refused(signed_in, db_state, zone):
    _refused(signed_in, db_state, "PATCH", "/api/me", {"timezone": zone}, "timezone", "IANA")


def test_register_refuses_a_timezone_that_is_not_a_place(client, db_state):
    before = db_state()
    response = client.post("/api/auth/register", {
        "email": "new@example.org", "password": "correct horse battery", "timezone": "Factory"})
    error = error_of(response, 422, "validation_error")
    assert "timezone" in error["fields"]
    assert db_state() == before


def _add_contacts(app, user_id, count):
    """Contacts straight into the table (the cap is what is tested, not 500 POSTs)."""
    from backend.versions import bump_version
    user_id = uuid.UUID(user_id)
    with app.app_context():
        version = bump_version(user_id)
        db.session.add_all(Contact(id=uuid.uuid4(), user_id=user_id, name=f"Friend {n}",
                                   version=version) for n in range(count))
        db.session.commit()


def test_at_most_500_contacts_per_user(app, signed_in, other_signed_in, db_state):
    _add_contacts(app, signed_in.user["id"], 499)
    assert signed_in.post("/api/contacts", {"name": "Number 500"}).status_code == 201
    before = db_state()
    response = signed_in.post("/api/contacts", {"name": "Number 501"})
    error = error_of(response, 422, "validation_error")
    assert "500" in error["message"] and "_schema" in error["fields"]
    assert db_state() == before
    # by sync too: the mutation is refused, nothing is written
    mutation_id = str(uuid.uuid4())
    response = signed_in.post("/api/sync", {"cursor": 0, "mutations": [
        {"mutation_id": mutation_id, "entity": "contacts", "op": "upsert", "id": str(uuid.uuid4()),
         "fields": {"name": "Number 501"}}]})
    assert response.status_code == 200, response.get_json()
    assert [r["mutation_id"] for r in response.get_json()["rejected"]] == [mutation_id]
    # another user is not affected, and removing someone makes room again
    assert other_signed_in.post("/api/contacts", {"name": "Sam"}).status_code == 201
    someone = signed_in.get("/api/contacts?page_size=1").get_json()[0]
    assert signed_in.delete(f"/api/contacts/{someone['id']}").status_code == 204
    assert signed_in.post("/api/contacts", {"name": "Number 501"}).status_code == 201


def test_concurrent_posts_of_one_id_are_one_201_and_409s(app, signed_in):
    """Six requests race to create one check-in id: one wins, the rest hear 409, no 500."""
    cookies = {c.key: c.value for c in signed_in.client._cookies.values()}
    record_id = str(uuid.uuid4())
    start = threading.Barrier(6)
    statuses = []

    def post():
        client = app.test_client()
        for key, value in cookies.items():
            client.set_cookie(key, value)
        start.wait()
        response = ApiClient(client).post("/api/checkins", {"id": record_id, "mood": 3})
        statuses.append((response.status_code, response.get_json()["error"]["code"]
                         if response.status_code >= 400 else None))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses, key=str) == sorted([(201, None)] + [(409, "conflict")] * 5, key=str)
    assert len(signed_in.get("/api/checkins").get_json()) == 1


def test_an_id_another_user_holds_is_409_and_changes_nothing(signed_in, other_signed_in, db_state):
    theirs = make_record(other_signed_in, "checkins")
    before = db_state()
    response = signed_in.post("/api/checkins", {"id": theirs["id"], "mood": 1})
    error_of(response, 409, "conflict")
    assert db_state() == before
