"""One source for the vocabularies: each list in frontend/js/content.js holds
exactly the values the API's OpenAPI document allows for its fields, so a
screen can only offer what the server takes. content.js is read by running
it in Node (the browser tests' toolchain), not by parsing it here."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from backend import create_app

CONTENT = Path(__file__).resolve().parents[2] / "frontend" / "js" / "content.js"

# content.js list -> the (schema, property) pairs whose enum it is; each
# schema's Patch twin is checked too when the document has one.
ENUMS = {
    "STAGES": [("Rejection", "stage")],
    "FEEDBACK": [("Rejection", "feedback_status")],
    "TRAPS": [("Rejection", "thinking_traps")],
    "APPLICATION_STATUSES": [("Application", "status")],
    "ACTIVITIES": [("Break", "activities")],
    "RELATIONSHIPS": [("Contact", "relationship")],
    "CHANNELS": [("Contact", "channel"), ("Outreach", "channel")],
    "NUDGE_KINDS": [("Nudge", "kind")],
}
MOODS = [("Rejection", "mood"), ("Checkin", "mood"), ("Break", "mood_before"), ("Break", "mood_after"),
         ("Outreach", "mood_after")]


@pytest.fixture(scope="module")
def frontend():
    node = shutil.which("node")
    if not node:
        pytest.fail("node is needed to read frontend/js/content.js (apt-get install -y nodejs)")
    done = subprocess.run(
        [node, "--input-type=module", "-e",
         "const m = await import(process.argv[1]); process.stdout.write(JSON.stringify(m));", CONTENT.as_uri()],
        capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def schemas():
    """From a test app; the document needs no database, so none is set up."""
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": "sqlite://"})
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()["components"]["schemas"]


def field_specs(schemas, name, prop):
    """The property in the schema and in its Patch twin, list items unwrapped."""
    found = []
    for schema in (name, f"{name}Patch"):
        if schema in schemas:
            spec = schemas[schema]["properties"][prop]
            found.append((schema, spec.get("items", spec)))
    return found


def values(frontend, name):
    pairs = frontend[name]
    labels = [pair[1] for pair in pairs]
    assert all(isinstance(label, str) and label.strip() for label in labels), name
    assert len(set(labels)) == len(labels), f"{name}: two choices with one label"
    return [pair[0] for pair in pairs]


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_frontend_list_is_the_api_enum(frontend, schemas, name):
    mine = values(frontend, name)
    assert len(set(mine)) == len(mine), f"{name} repeats a value"
    for schema, prop in ENUMS[name]:
        specs = field_specs(schemas, schema, prop)
        assert specs, (schema, prop)
        for where, spec in specs:
            allowed = [v for v in spec["enum"] if v is not None]  # None: the field may be cleared
            assert sorted(mine) == sorted(allowed), f"content.js {name} vs {where}.{prop}"


def test_nudge_kinds_are_the_settings_switches(frontend, schemas):
    assert sorted(values(frontend, "NUDGE_KINDS")) == sorted(schemas["NudgeKinds"]["properties"])


def test_moods_are_the_api_mood_range(frontend, schemas):
    mine = values(frontend, "MOODS")
    for schema, prop in MOODS:
        for where, spec in field_specs(schemas, schema, prop):
            assert mine == list(range(spec["minimum"], spec["maximum"] + 1)), f"{where}.{prop}"


def test_emotion_suggestions_fit_the_api(frontend, schemas):
    # Emotions are free words on the server; the suggestions must fit its limits.
    mine = values(frontend, "EMOTIONS")
    for schema in ("Rejection", "Checkin"):
        for where, spec in field_specs(schemas, schema, "emotions"):
            assert len(mine) <= schemas[where]["properties"]["emotions"]["maxItems"]
            assert spec["type"] == "string"
            assert all(spec["minLength"] <= len(e) <= spec["maxLength"] for e in mine), where
