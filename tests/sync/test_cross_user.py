"""Another user's records: never written, never revealed, never pulled."""
import uuid

import pytest

from tests.factories import make_nudge, mutation

from .helpers import sync


@pytest.fixture
def their_contact(other_signed_in):
    """The id of a contact the other user made through sync."""
    rid = uuid.uuid4()
    sync(other_signed_in, [mutation("contacts", record_id=rid, fields={"name": "Theirs"})])
    return rid


def test_sync_upsert_of_another_users_record_is_not_found_and_changes_nothing(
        signed_in, other_signed_in, their_contact, snapshot):
    before = snapshot()
    bad = mutation("contacts", record_id=their_contact, fields={"name": "Mine now"})
    answer = sync(signed_in, [bad])
    assert answer["rejected"] == [{"mutation_id": bad["mutation_id"], "error": {
        "code": "not_found", "message": "No such record."}}]
    assert answer["applied"] == [] and answer["changes"] == []
    assert snapshot() == before  # every table: nothing written, not even a version taken
    assert other_signed_in.get(f"/api/contacts/{their_contact}").get_json()["name"] == "Theirs"


def test_sync_delete_of_another_users_record_is_not_found_and_changes_nothing(
        signed_in, other_signed_in, their_contact, snapshot):
    before = snapshot()
    bad = mutation("contacts", "delete", their_contact)
    answer = sync(signed_in, [bad])
    assert answer["rejected"] == [{"mutation_id": bad["mutation_id"], "error": {
        "code": "not_found", "message": "No such record."}}]
    assert answer["applied"] == [] and answer["changes"] == []
    assert snapshot() == before
    assert other_signed_in.get(f"/api/contacts/{their_contact}").status_code == 200


def test_sync_another_users_deleted_record_is_not_found_not_gone(signed_in, other_signed_in,
                                                                 snapshot):
    rid = uuid.uuid4()
    sync(other_signed_in, [mutation("contacts", record_id=rid, fields={"name": "x"}),
                           mutation("contacts", "delete", rid)])
    before = snapshot()
    answer = sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "y"})])
    # "gone" would tell that the id exists; it is not_found like any unknown id.
    assert answer["rejected"][0]["error"] == {"code": "not_found", "message": "No such record."}
    assert snapshot() == before


def test_sync_reference_to_another_users_record_is_a_validation_error(signed_in, their_contact):
    answer = sync(signed_in, [mutation("outreach", fields={"contact_id": str(their_contact)})])
    error = answer["rejected"][0]["error"]
    assert error["code"] == "validation_error" and list(error["fields"]) == ["contact_id"]


def test_sync_another_users_nudge_is_not_found(app, signed_in, other_signed_in, snapshot):
    nudge_id = make_nudge(app, other_signed_in.user["id"])
    before = snapshot()
    answer = sync(signed_in, [mutation("nudges", record_id=nudge_id, fields={"read": True})])
    assert answer["rejected"][0]["error"] == {"code": "not_found", "message": "No such record."}
    assert snapshot() == before


def test_sync_pull_never_returns_another_users_rows(signed_in, other_signed_in, pull_all):
    mine = [mutation(entity, fields=fields) for entity, fields in [
        ("contacts", {"name": "Mine"}), ("checkins", {"mood": 2})]]
    theirs = [mutation(entity, fields=fields) for entity, fields in [
        ("contacts", {"name": "Theirs"}), ("checkins", {"mood": 5}),
        ("applications", {"company": "Theirs Inc"})]]
    sync(other_signed_in, theirs)
    sync(signed_in, mine)
    sync(other_signed_in, [mutation("contacts", "delete", theirs[0]["id"])])
    pulled = pull_all(signed_in)
    assert set(pulled) == {(m["entity"], m["id"]) for m in mine}
    assert [c["data"]["name"] for k, c in pulled.items() if k[0] == "contacts"] == ["Mine"]
    # Small pages too: every page holds only the user's rows, and their versions 1, 2.
    paged, cursor = [], None
    while True:
        answer = sync(signed_in, cursor=cursor, limit=1)
        paged += [(c["entity"], c["id"], c["version"]) for c in answer["changes"]]
        cursor = answer["cursor"]
        if not answer["has_more"]:
            break
    assert paged == [(m["entity"], m["id"], v) for m, v in zip(mine, (1, 2))]
    assert set(pull_all(other_signed_in)) == {(m["entity"], m["id"]) for m in theirs}


def test_sync_versions_and_cursors_are_per_user(signed_in, other_signed_in):
    for _ in range(3):
        sync(other_signed_in, [mutation("checkins", fields={"mood": 3})])
    answer = sync(signed_in, [mutation("checkins", fields={"mood": 1})])
    assert answer["cursor"] == 1 and answer["changes"][0]["version"] == 1
