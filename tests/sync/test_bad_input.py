"""Bad input to POST /api/sync, split as SPEC §5 splits it.

Whole request refused with 422 and nothing applied (each body also carries a
good mutation, to show it was not applied); or one mutation refused in
`rejected` with its code while the rest apply.
"""
import uuid

import pytest

from tests.factories import make_nudge, mutation
from tests.helpers import added_rows

from .helpers import sync

GOOD = {"mutation_id": "0b7e8c52-3d1f-4a36-9b4e-5c0c8d1e2f30", "entity": "checkins",
        "op": "upsert", "id": "6a1f3c9e-2b7d-4e58-8f0a-1c2d3e4f5a6b", "fields": {"mood": 3}}


def _refused(signed_in, body, **post_kwargs):
    response = signed_in.post("/api/sync", body, **post_kwargs)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["status"] == 422 and error["code"] == "validation_error"
    return error["fields"]


@pytest.mark.parametrize("body", [[GOOD], "mutations", 42, True, None],
                         ids=["list", "string", "number", "boolean", "null"])
def test_sync_body_that_is_not_an_object_is_refused(signed_in, snapshot, body):
    before = snapshot()
    fields = _refused(signed_in, body)
    assert list(fields) == ["_schema"]
    assert snapshot() == before


def test_sync_without_a_body_is_refused(signed_in, snapshot):
    before = snapshot()
    response = signed_in.client.post("/api/sync", headers={"X-Requested-With": "rebound"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "_schema": ["The body must be a JSON object."]}
    assert snapshot() == before


@pytest.mark.parametrize("cursor, message", [
    (-1, "Must be greater than or equal to 0."),
    ("3", "Not a valid integer."),
    (1.5, "Not a valid integer."),
    (True, "Not a valid integer."),
])
def test_sync_cursor_of_the_wrong_shape_is_refused(signed_in, snapshot, cursor, message):
    before = snapshot()
    assert _refused(signed_in, {"cursor": cursor, "mutations": [GOOD]}) == {"cursor": [message]}
    assert snapshot() == before


def test_sync_cursor_beyond_the_users_version_is_refused(signed_in, snapshot):
    top = sync(signed_in, [mutation("checkins", fields={"mood": 2})])["cursor"]
    before = snapshot()
    fields = _refused(signed_in, {"cursor": top + 1, "mutations": [GOOD]})
    assert list(fields) == ["cursor"] and str(top) in fields["cursor"][0]
    assert snapshot() == before


@pytest.mark.parametrize("mutations", [[], [GOOD]], ids=["pull", "push"])
def test_sync_cursor_past_any_version_is_refused_the_same_way(signed_in, snapshot, mutations):
    # Past a 32-bit version: PostgreSQL would refuse the parameter; the client hears
    # the same 422 as for any cursor beyond its version.
    before = snapshot()
    fields = _refused(signed_in, {"cursor": 2**31, "mutations": mutations})
    assert list(fields) == ["cursor"] and "current version, 0" in fields["cursor"][0]
    assert snapshot() == before


def test_sync_cursor_is_checked_before_the_requests_own_mutations(signed_in, snapshot):
    # The good mutation would raise the version to 1, but the cursor is checked first.
    before = snapshot()
    assert list(_refused(signed_in, {"cursor": 1, "mutations": [GOOD]})) == ["cursor"]
    assert snapshot() == before


def test_sync_cursor_beyond_the_version_is_per_user(signed_in, other_signed_in):
    top = sync(other_signed_in, [mutation("checkins", fields={"mood": 2})] * 1)["cursor"]
    assert list(_refused(signed_in, {"cursor": top})) == ["cursor"]


OUT_OF_RANGE = "Must be greater than or equal to 1 and less than or equal to 1000."


@pytest.mark.parametrize("limit, message", [
    (0, OUT_OF_RANGE), (1001, OUT_OF_RANGE), (-5, OUT_OF_RANGE),
    ("10", "Not a valid integer."), (2.0, "Not a valid integer."),
    (None, "Field may not be null."),
])
def test_sync_limit_out_of_range_is_refused(signed_in, snapshot, limit, message):
    before = snapshot()
    fields = _refused(signed_in, {"cursor": None, "mutations": [GOOD], "limit": limit})
    assert fields == {"limit": [message]}
    assert snapshot() == before


@pytest.mark.parametrize("limit", [1, 1000])
def test_sync_limit_at_the_bounds_is_accepted(signed_in, limit):
    assert sync(signed_in, limit=limit)["cursor"] == 0


@pytest.mark.parametrize("mutations, message", [
    ({"0": GOOD}, "Not a valid list."), ("none", "Not a valid list."),
    (7, "Not a valid list."), (None, "Field may not be null."),
], ids=["object", "string", "number", "null"])
def test_sync_mutations_that_are_not_a_list_are_refused(signed_in, snapshot, mutations, message):
    before = snapshot()
    assert _refused(signed_in, {"cursor": None, "mutations": mutations}) == {"mutations": [message]}
    assert snapshot() == before


def test_sync_more_than_500_mutations_are_refused(signed_in, snapshot):
    before = snapshot()
    items = [mutation("checkins", fields={"mood": 3}) for _ in range(501)]
    assert _refused(signed_in, {"cursor": None, "mutations": items}) == {
        "mutations": ["Longer than maximum length 500."]}
    assert snapshot() == before


def test_sync_exactly_500_mutations_are_accepted(signed_in, count_rows):
    items = [mutation("checkins", fields={"mood": 3}) for _ in range(500)]
    answer = sync(signed_in, items)
    assert len(answer["applied"]) == 500 and count_rows("checkins") == 500


@pytest.mark.parametrize("item, field", [
    ("not an object", "mutations.1._schema"),
    (["a", "list"], "mutations.1._schema"),
    ({"entity": "checkins", "op": "upsert", "id": str(uuid.uuid4()), "fields": {"mood": 1}},
     "mutations.1.mutation_id"),
    ({**GOOD, "mutation_id": "not-a-uuid"}, "mutations.1.mutation_id"),
    ({**GOOD, "mutation_id": 12345}, "mutations.1.mutation_id"),
    ({**GOOD, "mutation_id": None}, "mutations.1.mutation_id"),
], ids=["string", "list", "missing-id", "bad-uuid", "number-id", "null-id"])
def test_sync_item_without_a_valid_mutation_id_refuses_the_whole_request(
        signed_in, snapshot, item, field):
    before = snapshot()
    fields = _refused(signed_in, {"cursor": None, "mutations": [GOOD, item]})
    assert list(fields) == [field]
    assert snapshot() == before


# Per mutation: refused in `rejected`, the rest applied ------------------------------


def _one_refused(signed_in, bad, snapshot):
    """Send bad between two good check-ins; return the refusal.

    The good ones are applied, and nothing else in the database changes: no row of
    any table is changed or removed (another user's included), and the only rows
    added are the two good check-ins and their two applied mutation ids.
    """
    before = snapshot()
    good = [mutation("checkins", fields={"mood": 2}), mutation("checkins", fields={"mood": 4})]
    answer = sync(signed_in, [good[0], bad, good[1]])
    assert answer["applied"] == [g["mutation_id"] for g in good]
    [refused] = answer["rejected"]
    assert refused["mutation_id"] == bad["mutation_id"]
    assert [(c["entity"], c["id"]) for c in answer["changes"]][-2:] == [
        ("checkins", g["id"]) for g in good]
    added = added_rows(before, snapshot())
    assert set(added) == {"checkins", "applied_mutations"}, added
    for table, key in (("checkins", "id"), ("applied_mutations", "mutation_id")):
        assert len(added[table]) == 2
        assert all(any(g[key] in "".join(row) for row in added[table]) for g in good), added
    return refused["error"]


def test_sync_unknown_entity_is_rejected(signed_in, snapshot):
    error = _one_refused(signed_in, mutation("users", fields={"email": "x@example.org"}), snapshot)
    assert error == {"code": "unknown_entity", "message": "Unknown entity 'users'."}


@pytest.mark.parametrize("entity", [None, 5, "Rejections", ""])
def test_sync_entity_that_is_not_a_known_name_is_rejected(signed_in, snapshot, entity):
    error = _one_refused(signed_in, mutation(entity, fields={}), snapshot)
    assert error == {"code": "unknown_entity", "message": f"Unknown entity {entity!r}."}


@pytest.mark.parametrize("op", ["update", "UPSERT", None, 1])
def test_sync_unknown_op_is_rejected(signed_in, snapshot, op):
    error = _one_refused(signed_in, mutation("checkins", op, fields={"mood": 1}), snapshot)
    assert error == {"code": "unknown_op", "message": f"Unknown op {op!r}: use upsert or delete."}


def test_sync_invalid_fields_are_rejected_with_field_messages(signed_in, snapshot):
    error = _one_refused(signed_in, mutation("checkins", fields={"mood": 9, "emotions": "sad"}),
                         snapshot)
    assert error == {"code": "validation_error", "message": "Some fields need another look.",
                     "fields": {"mood": ["Must be greater than or equal to 1 and less than or "
                                         "equal to 5."],
                                "emotions": ["Not a valid list."]}}


def test_sync_invalid_edit_of_an_existing_record_leaves_it_as_it_was(signed_in, snapshot):
    rid = uuid.uuid4()
    sync(signed_in, [mutation("checkins", record_id=rid, fields={"mood": 3, "note": "kept"})])
    error = _one_refused(signed_in, mutation("checkins", record_id=rid,
                                             fields={"note": "lost", "mood": 0}), snapshot)
    assert error == {"code": "validation_error", "message": "Some fields need another look.",
                     "fields": {"mood": ["Must be greater than or equal to 1 and less than or "
                                         "equal to 5."]}}
    record = signed_in.get(f"/api/checkins/{rid}").get_json()
    assert (record["mood"], record["note"], record["version"]) == (3, "kept", 1)


def test_sync_edit_breaking_a_cross_field_rule_leaves_the_record_as_it_was(signed_in, snapshot):
    rid = uuid.uuid4()
    sync(signed_in, [mutation("contacts", record_id=rid, fields={
        "name": "Sam", "channel": "email", "handle": "sam@example.org"})])
    error = _one_refused(signed_in,
                         mutation("contacts", record_id=rid, fields={"channel": "phone"}),
                         snapshot)
    assert error == {"code": "validation_error", "message": "Some fields need another look.",
                     "fields": {"handle": [
                         "Use a phone number: an optional + and 7 to 15 digits."]}}
    record = signed_in.get(f"/api/contacts/{rid}").get_json()
    assert (record["channel"], record["version"]) == ("email", 1)


def test_sync_missing_required_field_on_create_is_rejected(signed_in, snapshot):
    error = _one_refused(signed_in, mutation("contacts", fields={"notes": "no name"}), snapshot)
    assert error == {"code": "validation_error", "message": "Some fields need another look.",
                     "fields": {"name": ["Missing data for required field."]}}


@pytest.mark.parametrize("fields, key", [
    ({"mood": 3, "version": 99}, "version"),
    ({"mood": 3, "id": str(uuid.uuid4())}, "id"),
    ({"mood": 3, "created_at": "2026-01-01T00:00:00+00:00"}, "created_at"),
    ({"mood": 3, "surprise": 1}, "surprise"),
])
def test_sync_fields_the_schema_does_not_take_are_rejected(signed_in, snapshot, fields, key):
    error = _one_refused(signed_in, mutation("checkins", fields=fields), snapshot)
    assert error == {"code": "validation_error", "message": "Some fields need another look.",
                     "fields": {key: ["Unknown field."]}}


def test_sync_status_changed_on_is_kept_by_the_server(signed_in, snapshot):
    error = _one_refused(signed_in, mutation("applications", fields={
        "company": "Acme", "status_changed_on": "2026-01-01"}), snapshot)
    assert error["code"] == "validation_error"
    assert error["fields"] == {"status_changed_on": ["Unknown field."]}


def test_sync_record_id_that_is_not_a_uuid_is_rejected(signed_in, snapshot):
    bad = mutation("checkins", fields={"mood": 3})
    bad["id"] = "42"
    error = _one_refused(signed_in, bad, snapshot)
    assert error == {"code": "validation_error", "message": "The record id must be a UUID.",
                     "fields": {"id": ["Not a valid UUID."]}}


def test_sync_fields_that_are_not_an_object_are_rejected(signed_in, snapshot):
    error = _one_refused(signed_in, mutation("checkins", fields=["mood", 3]), snapshot)
    assert error == {"code": "validation_error", "message": "`fields` must be an object.",
                     "fields": {"fields": ["Not a valid mapping type."]}}


def test_sync_delete_of_an_unknown_record_is_not_found(signed_in, snapshot):
    error = _one_refused(signed_in, mutation("checkins", "delete"), snapshot)
    assert error == {"code": "not_found", "message": "No such record."}


@pytest.mark.parametrize("op", ["upsert", "delete"])
def test_sync_another_users_record_is_rejected_while_the_rest_apply(
        signed_in, other_signed_in, snapshot, op):
    rid = uuid.uuid4()
    sync(other_signed_in, [mutation("contacts", record_id=rid, fields={"name": "Theirs"})])
    fields = {"name": "Mine now"} if op == "upsert" else None
    error = _one_refused(signed_in, mutation("contacts", op, rid, fields=fields), snapshot)
    assert error == {"code": "not_found", "message": "No such record."}
    assert other_signed_in.get(f"/api/contacts/{rid}").get_json()["name"] == "Theirs"


def test_sync_upsert_on_a_deleted_record_is_gone(signed_in, snapshot):
    rid = uuid.uuid4()
    sync(signed_in, [mutation("checkins", record_id=rid, fields={"mood": 1}),
                     mutation("checkins", "delete", rid)])
    error = _one_refused(signed_in, mutation("checkins", record_id=rid, fields={"mood": 5}),
                         snapshot)
    assert error == {"code": "gone",
                     "message": "This record was deleted; a delete wins over later edits."}
    [tombstone] = [c for c in sync(signed_in)["changes"] if c["id"] == str(rid)]
    assert tombstone == {"entity": "checkins", "id": str(rid), "version": 2, "deleted": True,
                         "data": None}


def test_sync_nudge_fields_a_client_may_not_write_are_forbidden(app, signed_in, snapshot):
    nudge_id = make_nudge(app, signed_in.user["id"])
    error = _one_refused(signed_in, mutation("nudges", record_id=nudge_id,
                                             fields={"title": "Mine now", "read": True}), snapshot)
    assert error == {"code": "forbidden",
                     "message": "A client may only mark a nudge read, dismissed or snoozed.",
                     "fields": {"title": ["Written by the server."]}}


def test_sync_client_cannot_delete_a_nudge(app, signed_in, snapshot):
    nudge_id = make_nudge(app, signed_in.user["id"])
    error = _one_refused(signed_in, mutation("nudges", "delete", nudge_id), snapshot)
    assert error == {"code": "forbidden",
                     "message": "Nudges cannot be deleted; dismiss them instead."}


def test_sync_client_cannot_create_a_nudge(signed_in, snapshot):
    error = _one_refused(signed_in, mutation("nudges", fields={"read": True}), snapshot)
    assert error == {"code": "not_found", "message": "No such record."}


def test_sync_refused_mutation_id_is_not_remembered(signed_in, snapshot, count_rows):
    bad = mutation("checkins", fields={"mood": 0})
    _one_refused(signed_in, bad, snapshot)
    assert count_rows("applied_mutations") == 2


def test_sync_text_with_a_lone_surrogate_is_a_validation_error(signed_in, count_rows):
    # JSON can escape a lone surrogate; no database can store it (it was a 500).
    bad_id, good_id = uuid.uuid4(), uuid.uuid4()
    body = ('{"mutations": [{"mutation_id": "%s", "entity": "contacts", "op": "upsert", '
            '"id": "%s", "fields": {"name": "\\ud800"}}, {"mutation_id": "%s", '
            '"entity": "contacts", "op": "upsert", "id": "%s", "fields": {"name": "ok"}}]}'
            % (uuid.uuid4(), bad_id, uuid.uuid4(), good_id))
    response = signed_in.client.post("/api/sync", data=body, content_type="application/json",
                                     headers={"X-Requested-With": "rebound"})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["rejected"][0]["error"]["fields"] == {"name": ["Must be valid Unicode text."]}
    assert [c["id"] for c in answer["changes"]] == [str(good_id)]
    assert count_rows("contacts") == 1
