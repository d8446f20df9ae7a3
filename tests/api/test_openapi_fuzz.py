"""Schemathesis over /api/openapi.json, signed in as a test user: no 5xx, and every
response matches its documented schema."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.factories import SAMPLES, make_nudge
from tests.helpers import PASSWORD, ApiClient

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
FUZZ_EMAIL = "fuzz@example.org"


@pytest.fixture
def fuzz_app(make_app, database_url):
    """An app without rate limits (the fuzzer signs in once per case), with the fuzz user."""
    app = make_app(database_url, RATELIMIT_ENABLED=False)
    ApiClient(app.test_client()).register(email=FUZZ_EMAIL)
    return app


def sign_in(app):
    # A fresh sign-in per case: a fuzzed logout must not blind the cases after it.
    client = ApiClient(app.test_client())
    response = client.post("/api/auth/login", {"email": FUZZ_EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    return client


def _fresh_record(app, client, entity):
    if entity == "nudges":
        return str(make_nudge(app, client.get("/api/me").get_json()["id"]))
    body = dict(SAMPLES[entity])
    if entity == "outreach":
        body["contact_id"] = _fresh_record(app, client, "contacts")
    if entity == "breaks":
        for active in client.get("/api/breaks").get_json():
            client.delete(f"/api/breaks/{active['id']}")
    response = client.post(f"/api/{entity}", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def aim_at_real_records(app, owner, case):
    """Random UUIDs only ever meet 404: point the case at a real record of the user instead,
    so the documented 200 and 204 responses of item operations are checked too."""
    entity = case.operation.path.split("/")[2]
    if "record_id" in (case.path_parameters or {}):
        case.path_parameters["record_id"] = _fresh_record(app, owner, entity)
    if "session_id" in (case.path_parameters or {}):
        case.path_parameters["session_id"] = owner.get("/api/me/sessions").get_json()[0]["id"]
    if case.operation.path == "/api/outreach" and isinstance(case.body, dict):
        case.body["contact_id"] = _fresh_record(app, owner, "contacts")


def test_api_never_fails_and_keeps_its_documented_shapes(fuzz_app):
    # Driven by hand rather than schemathesis' pytest plugin, which does not run on pytest 9.2.
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    statuses = {}

    for operation in operations:
        @given(case=operation.as_strategy(), real=st.booleans())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case, real):
            owner = sign_in(fuzz_app)
            if real:
                aim_at_real_records(fuzz_app, owner, case)
            cookies = {"rebound_session": owner.client.get_cookie("rebound_session").value}
            # identity: schemathesis' WSGI transport hands back bodies undecoded, and
            # compressed answers (tests/api/test_compression.py) would not parse.
            response = case.call_and_validate(
                headers={"X-Requested-With": "rebound", "Accept-Encoding": "identity"},
                cookies=cookies,
                checks=[not_a_server_error, response_schema_conformance,
                        content_type_conformance])
            statuses.setdefault(f"{operation.method.upper()} {operation.path}", set()).add(
                response.status_code)

        check()

    # The run reached the records themselves, not only 404s. (PATCH and POST bodies are
    # random, so whether one of them passes validation is left to chance, not asserted.)
    for entity in ("applications", "rejections", "breaks", "contacts", "outreach", "checkins",
                   "nudges"):
        assert 200 in statuses[f"GET /api/{entity}/{{record_id}}"], entity
        if entity != "nudges":
            assert 204 in statuses[f"DELETE /api/{entity}/{{record_id}}"], entity
    assert 204 in statuses["DELETE /api/me/sessions/{session_id}"]
