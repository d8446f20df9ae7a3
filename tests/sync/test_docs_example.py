"""The example exchange in docs/sync.md is what the server really answers.

The test builds the state the example assumes (a device at cursor 41, a contact
with an email handle, a check-in, and another device's contact at version 42),
sends the documented request and compares the answer with the documented one.
Values the page abbreviates with "…" are left out of the comparison.
"""
import json
import re
from pathlib import Path

from tests.factories import mutation

from .helpers import sync

DOC = Path(__file__).parents[2] / "docs" / "sync.md"


def documented_exchange():
    text = DOC.read_text(encoding="utf-8")
    http = re.search(r"```http\n(.*?)```", text, re.S).group(1)
    request = json.loads(http.split("\n\n", 1)[1])
    answer = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    return request, answer


def shown(value):
    """What the page shows of a value, without its abbreviated parts."""
    if isinstance(value, dict):
        return {k: shown(v) for k, v in value.items() if k != "…" and not _abbreviated(v)}
    return value


def _abbreviated(value):
    return isinstance(value, str) and value.endswith("…")


def test_sync_example_exchange_in_the_docs_is_what_the_server_answers(signed_in):
    request, documented = documented_exchange()
    contact_id = request["mutations"][1]["id"]
    checkin_id = request["mutations"][2]["id"]
    sync(signed_in, [mutation("contacts", record_id=contact_id, fields={
        "name": "Ria", "channel": "email", "handle": "ria@example.org"}),
        mutation("checkins", record_id=checkin_id, fields={"mood": 3})])
    # Other edits bring the user to version 41, where this device's cursor is.
    for n in range(39):
        sync(signed_in, [mutation("contacts", record_id=contact_id, fields={"notes": f"edit {n}"})])
    assert sync(signed_in)["cursor"] == request["cursor"] == 41
    other_device = documented["changes"][0]
    sync(signed_in, [mutation("contacts", record_id=other_device["id"], fields={"name": "Sam"})])

    response = signed_in.post("/api/sync", request)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["applied"] == documented["applied"]
    assert answer["rejected"] == documented["rejected"]
    assert [{k: c[k] for k in ("entity", "id", "version", "deleted")} for c in answer["changes"]] \
        == [{k: c[k] for k in ("entity", "id", "version", "deleted")}
            for c in documented["changes"]]
    for got, doc in zip(answer["changes"], documented["changes"]):
        if doc["data"] is None:
            assert got["data"] is None
        else:
            expected = shown(doc["data"])
            assert {k: got["data"][k] for k in expected} == expected
    assert (answer["cursor"], answer["has_more"]) == (documented["cursor"],
                                                      documented["has_more"])
