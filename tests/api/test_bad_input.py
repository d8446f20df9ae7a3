"""Every bad input gets the JSON error envelope and leaves the data untouched."""
import io
import json

import pytest

from tests.factories import EDITS, SAMPLES, make_nudge, make_record
from tests.helpers import error_of


@pytest.fixture
def rejection(signed_in):
    """A sample rejection of the signed-in user."""
    return make_record(signed_in, "rejections")


def test_malformed_json_is_400(signed_in, db_state):
    before = db_state()
    response = signed_in.client.post("/api/rejections", data='{"company": ',
                                     headers={"X-Requested-With": "rebound",
                                              "Content-Type": "application/json"})
    error_of(response, 400, "bad_request")
    assert db_state() == before


def test_a_body_that_is_not_json_is_415(signed_in, db_state):
    before = db_state()
    response = signed_in.client.post("/api/rejections", data="company=Acme",
                                     headers={"X-Requested-With": "rebound",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    error_of(response, 415, "unsupported_media_type")
    assert db_state() == before


def test_a_bodiless_post_is_fine(signed_in):
    assert signed_in.client.post("/api/auth/logout",
                                 headers={"X-Requested-With": "rebound"}).status_code == 204


def test_a_body_over_256_kib_is_413(signed_in, db_state):
    before = db_state()
    big = json.dumps({"company": "Acme", "feelings": "x" * (256 * 1024)})
    response = signed_in.client.post("/api/rejections", data=big,
                                     headers={"X-Requested-With": "rebound",
                                              "Content-Type": "application/json"})
    error_of(response, 413, "payload_too_large")
    assert db_state() == before


def test_a_chunked_body_over_256_kib_is_413(signed_in, db_state):
    before = db_state()
    big = json.dumps({"company": "Acme", "feelings": "x" * (300 * 1024)}).encode()
    # No Content-Length: the server sees only a stream, as with a chunked upload.
    response = signed_in.client.post("/api/rejections", input_stream=io.BytesIO(big), headers={
        "X-Requested-With": "rebound", "Content-Type": "application/json",
        "Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    error_of(response, 413, "payload_too_large")
    assert db_state() == before


@pytest.mark.parametrize("body", [[], [{"company": "Acme"}], "Acme", 42, None])
def test_a_json_body_that_is_not_an_object_is_422(signed_in, body, db_state):
    before = db_state()
    response = signed_in.client.post("/api/rejections", data=json.dumps(body), headers={
        "X-Requested-With": "rebound", "Content-Type": "application/json"})
    assert "_schema" in error_of(response, 422, "validation_error")["fields"]
    assert db_state() == before


@pytest.mark.parametrize("body,fields", [
    ({"company": "Acme", "colour": "red"}, {"colour"}),
    ({"company": 42}, {"company"}),
    ({"company": "Acme", "mood": 0}, {"mood"}),
    ({"company": "Acme", "mood": 6}, {"mood"}),
    ({"company": "Acme", "mood": "3"}, {"mood"}),
    ({"company": "Acme", "mood": 2.5}, {"mood"}),
    ({"company": "x" * 201}, {"company"}),
    ({"company": "Acme", "feelings": "x" * 10_001}, {"feelings"}),
    ({"company": "Acme", "stage": "phone_call"}, {"stage"}),
    ({"company": "Acme", "thinking_traps": ["doom"]}, {"thinking_traps.0"}),
    ({"company": "Acme", "emotions": "sad"}, {"emotions"}),
    ({"company": "Acme", "received_on": "yesterday"}, {"received_on"}),
    ({"company": "Acme", "feedback_status": "maybe"}, {"feedback_status"}),
    ({"company": "Acme", "role": "a\x00b"}, {"role"}),
    ({"mood": 3}, {"company"}),
    ({"company": ""}, {"company"}),
    ({"company": "Acme", "id": "not-a-uuid"}, {"id"}),
])
def test_invalid_rejection_fields_are_422_per_field(signed_in, body, fields, db_state):
    before = db_state()
    error = error_of(signed_in.post("/api/rejections", body), 422, "validation_error")
    assert set(error["fields"]) == fields
    assert db_state() == before


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://acme.example/x", "acme",
                                 "data:text/html,hi"])
def test_application_url_must_be_http_or_https(signed_in, url, db_state):
    before = db_state()
    error = error_of(signed_in.post("/api/applications", {"company": "Acme", "url": url}),
                     422, "validation_error")
    assert set(error["fields"]) == {"url"}
    assert db_state() == before


def test_invalid_patch_leaves_the_record_as_it_was(signed_in, rejection, db_state):
    before = db_state()
    path = f"/api/rejections/{rejection['id']}"
    error = error_of(signed_in.patch(path, {"mood": 9, "stage": "nope", "id": rejection["id"]}),
                     422, "validation_error")
    assert set(error["fields"]) == {"mood", "stage", "id"}
    assert db_state() == before
    assert signed_in.get(path).get_json() == rejection


@pytest.mark.parametrize("entity,body,field", [
    ("breaks", {"activities": ["juggling"]}, "activities.0"),
    ("breaks", {"mood_before": 0}, "mood_before"),
    ("contacts", {"name": "Sam", "relationship": "boss"}, "relationship"),
    ("contacts", {"name": "Sam", "check_in_every_days": 366}, "check_in_every_days"),
    ("checkins", {"mood": 6}, "mood"),
    ("checkins", {}, "mood"),
    ("checkins", {"mood": 3, "at": "2026-13-01T00:00:00Z"}, "at"),
    ("applications", {"company": "Acme", "status": "hired"}, "status"),
    ("outreach", {"contact_id": "42"}, "contact_id"),
    ("breaks", {"mood_after": 6}, "mood_after"),
    ("checkins", {"mood": 0}, "mood"),
    ("outreach", {"contact_id": "00000000-0000-4000-8000-000000000000", "mood_after": 0},
     "mood_after"),
    ("outreach", {"contact_id": "00000000-0000-4000-8000-000000000000", "channel": "fax"},
     "channel"),
    ("contacts", {"name": "Sam", "channel": "fax"}, "channel"),
    ("contacts", {"name": "x" * 201}, "name"),
    ("checkins", {"mood": 3, "emotions": ["x" * 41]}, "emotions.0"),
    ("applications", {"company": "Acme", "notes": "x" * 10_001}, "notes"),
    ("applications", {"company": "Acme", "url": "https://acme.example/" + "x" * 2000}, "url"),
])
def test_invalid_fields_of_other_entities_are_422(signed_in, entity, body, field, db_state):
    before = db_state()
    error = error_of(signed_in.post(f"/api/{entity}", body), 422, "validation_error")
    assert field in error["fields"]
    assert db_state() == before


@pytest.mark.parametrize("path", ["/api/rejections/123", "/api/rejections/not-a-uuid",
                                  "/api/contacts/00000000-0000-0000-0000-00000000000g"])
def test_a_non_uuid_id_in_the_path_is_404(signed_in, path, db_state):
    before = db_state()
    error_of(signed_in.get(path), 404, "not_found")
    error_of(signed_in.patch(path, {"mood": 3}), 404, "not_found")
    error_of(signed_in.delete(path), 404, "not_found")
    assert db_state() == before


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
def test_state_changing_requests_need_the_csrf_header(signed_in, rejection, method, db_state):
    before = db_state()
    path = "/api/rejections" if method == "POST" else f"/api/rejections/{rejection['id']}"
    response = signed_in.client.open(path, method=method, json={"company": "Evil"})
    error_of(response, 403, "csrf")
    assert db_state() == before


def test_csrf_is_checked_before_the_session(client):
    error_of(client.client.post("/api/rejections", json={"company": "Acme"}), 403, "csrf")
    error_of(client.client.post("/api/auth/logout"), 403, "csrf")


def test_a_signed_out_request_with_a_bad_body_is_401_not_422(client):
    error_of(client.post("/api/rejections", {"mood": 42}), 401, "unauthorized")
    error_of(client.patch("/api/me", {"timezone": "nowhere"}), 401, "unauthorized")


@pytest.mark.parametrize("method,path", [("POST", "/api/rejections"), ("PATCH", "/api/me"),
                                         ("POST", "/api/auth/login"), ("POST", "/api/sync")])
@pytest.mark.parametrize("opener,closer", [("[", "]"), ('{"a":', "}")])
def test_json_nested_too_deeply_to_parse_is_400_not_500(signed_in, method, path, opener, closer,
                                                        db_state):
    # 2 KiB of brackets: Python's parser gives up with RecursionError, not ValueError.
    before = db_state()
    body = opener * 1000 + ("1" if opener != "[" else "") + closer * 1000
    response = signed_in.client.open(path, method=method, data=body, headers={
        "X-Requested-With": "rebound", "Content-Type": "application/json"})
    error_of(response, 400, "bad_request")
    assert db_state() == before


@pytest.mark.parametrize("body,messages", [
    ({"company": "Acme", "colour": "red"}, {"colour": ["Unknown field."]}),
    ({"company": 42}, {"company": ["Not a valid string."]}),
    ({"company": "Acme", "mood": 0},
     {"mood": ["Must be greater than or equal to 1 and less than or equal to 5."]}),
    ({"company": "Acme", "mood": 6},
     {"mood": ["Must be greater than or equal to 1 and less than or equal to 5."]}),
    ({"company": "x" * 201}, {"company": ["Length must be between 1 and 200."]}),
    ({"company": "Acme", "feelings": "x" * 10_001},
     {"feelings": ["Longer than maximum length 10000."]}),
    ({"company": "Acme", "stage": "phone_call"},
     {"stage": ["Must be one of: application, screening, interview, final_round, offer."]}),
    ({"mood": 3}, {"company": ["Missing data for required field."]}),
    ({"company": 42, "mood": 6, "colour": "red"},
     {"company": ["Not a valid string."], "colour": ["Unknown field."],
      "mood": ["Must be greater than or equal to 1 and less than or equal to 5."]}),
])
def test_a_422_names_each_bad_field_with_its_message(signed_in, body, messages, db_state):
    before = db_state()
    error = error_of(signed_in.post("/api/rejections", body), 422, "validation_error")
    assert error["fields"] == messages
    assert db_state() == before


@pytest.mark.parametrize("method,path", [
    ("PATCH", "rejection"), ("PATCH", "/api/me"), ("POST", "/api/auth/register"),
    ("POST", "/api/me/password"), ("DELETE", "/api/me"),
])
def test_malformed_json_is_400_on_every_kind_of_write(signed_in, rejection, method, path, db_state):
    path = f"/api/rejections/{rejection['id']}" if path == "rejection" else path
    before = db_state()
    response = signed_in.client.open(path, method=method, data='{"mood": 3,', headers={
        "X-Requested-With": "rebound", "Content-Type": "application/json"})
    error_of(response, 400, "bad_request")
    assert db_state() == before


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "text/json"])
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_body_in_any_other_media_type_is_415(signed_in, rejection, method, content_type,
                                               db_state):
    path = "/api/rejections" if method == "POST" else f"/api/rejections/{rejection['id']}"
    headers = {"X-Requested-With": "rebound"}
    if content_type:
        headers["Content-Type"] = content_type
    before = db_state()
    response = signed_in.client.open(path, method=method, data='{"company": "Acme"}',
                                     headers=headers)
    error_of(response, 415, "unsupported_media_type")
    assert db_state() == before


@pytest.mark.parametrize("method,path", [
    ("PATCH", "rejection"), ("PATCH", "/api/me"), ("POST", "/api/auth/login"),
    ("POST", "/api/me/email"), ("POST", "/api/me/password"), ("DELETE", "/api/me"),
    ("POST", "/api/applications"), ("POST", "/api/checkins"),
])
def test_a_json_body_that_is_not_an_object_is_422_everywhere(signed_in, rejection, method, path,
                                                             db_state):
    path = f"/api/rejections/{rejection['id']}" if path == "rejection" else path
    before = db_state()
    for body in ([], ["mood", 3], "x", 7, True, None):
        response = signed_in.client.open(path, method=method, data=json.dumps(body), headers={
            "X-Requested-With": "rebound", "Content-Type": "application/json"})
        error = error_of(response, 422, "validation_error")
        assert error["fields"] == {"_schema": ["Invalid input type."]}, body
    assert db_state() == before


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)",
                                 " javascript:alert(1)", "java\tscript:alert(1)",
                                 "vbscript:msgbox(1)"])
def test_an_application_url_cannot_become_javascript_by_patch(signed_in, url, db_state):
    application = make_record(signed_in, "applications")
    before = db_state()
    path = f"/api/applications/{application['id']}"
    error = error_of(signed_in.patch(path, {"url": url}), 422, "validation_error")
    assert error["fields"] == {"url": ["Must be an http or https address."]}
    assert db_state() == before
    assert signed_in.get(path).get_json() == application


ALL_ENTITIES = ["applications", "rejections", "breaks", "contacts", "outreach", "checkins",
                "nudges"]


@pytest.mark.parametrize("entity", ALL_ENTITIES)
def test_a_non_uuid_id_is_404_for_every_entity_and_verb(signed_in, entity, db_state):
    before = db_state()
    for record_id in ("42", "not-a-uuid", "00000000-0000-0000-0000-00000000000g", "%00",
                      "..%2F"):
        for method in ("GET", "PATCH", "DELETE", "PUT"):
            response = signed_in.request(
                method, f"/api/{entity}/{record_id}",
                json=None if method in ("GET", "DELETE") else {"read": True})
            error_of(response, 404, "not_found")
    assert db_state() == before


ACCOUNT_WRITES = [
    ("POST", "/api/auth/register", {"email": "new@example.org", "password": "long enough pw"}),
    ("POST", "/api/auth/login", {"email": "EMAIL", "password": "correct horse battery"}),
    ("POST", "/api/auth/logout", None),
    ("PATCH", "/api/me", {"display_name": "Evil"}),
    ("DELETE", "/api/me", {"password": "correct horse battery"}),
    ("POST", "/api/me/email", {"new_email": "evil@example.org",
                               "current_password": "correct horse battery"}),
    ("POST", "/api/me/password", {"current_password": "correct horse battery",
                                  "new_password": "an evil new password"}),
    ("DELETE", "/api/me/sessions", None),
    ("PATCH", "/api/nudges/NUDGE", {"read": True}),
    ("DELETE", "/api/rejections/REJECTION", None),
]


@pytest.mark.parametrize("method,path,body", ACCOUNT_WRITES)
def test_every_state_change_needs_the_exact_csrf_header(app, signed_in, rejection, method, path,
                                                        body, db_state):
    path = (path.replace("NUDGE", str(make_nudge(app, signed_in.user["id"])))
            .replace("REJECTION", rejection["id"]))
    if body and body.get("email") == "EMAIL":
        body = {**body, "email": signed_in.email}
    before = db_state()
    for header in (None, "XMLHttpRequest", "Rebound", ""):
        headers = {} if header is None else {"X-Requested-With": header}
        response = signed_in.client.open(path, method=method, json=body, headers=headers)
        error_of(response, 403, "csrf")
    assert db_state() == before
    assert signed_in.get("/api/me").get_json() == signed_in.user


@pytest.mark.parametrize("entity", ALL_ENTITIES)
@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_writes_without_a_session_are_401_and_change_nothing(app, client, other_signed_in, entity,
                                                             method, db_state):
    record_id = (str(make_nudge(app, other_signed_in.user["id"])) if entity == "nudges"
                 else make_record(other_signed_in, entity)["id"])
    before = db_state()
    body = ({"read": True} if entity == "nudges"
            else (SAMPLES if method == "POST" else EDITS)[entity])
    path = f"/api/{entity}" if method == "POST" else f"/api/{entity}/{record_id}"
    response = client.request(method, path, json=None if method == "DELETE" else body)
    expected = (405, "method_not_allowed") if (entity == "nudges" and method != "PATCH") \
        else (401, "unauthorized")
    error_of(response, *expected)
    assert db_state() == before
