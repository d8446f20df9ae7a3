"""Schemathesis over /api/openapi.json, signed in as a test user: no 5xx, and every
response matches its documented schema."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from backend import create_app
from tests.helpers import PASSWORD, ApiClient

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))


@pytest.fixture
def fuzz_app(database_url):
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": database_url,
                      "RATELIMIT_ENABLED": False})
    ApiClient(app.test_client()).register(email="fuzz@example.org")
    return app


def signed_in_cookie(app):
    # A fresh sign-in per case: a fuzzed logout must not blind the cases after it.
    client = ApiClient(app.test_client())
    response = client.post("/api/auth/login", {"email": "fuzz@example.org", "password": PASSWORD})
    assert response.status_code == 200
    return {"rebound_session": client.client.get_cookie("rebound_session").value}


def test_api_never_fails_and_keeps_its_documented_shapes(fuzz_app):
    # Driven by hand rather than schemathesis' pytest plugin, which does not run on pytest 9.2.
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(
                headers={"X-Requested-With": "rebound"}, cookies=signed_in_cookie(fuzz_app),
                checks=[not_a_server_error, response_schema_conformance,
                        content_type_conformance])

        check()
