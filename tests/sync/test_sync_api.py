"""POST /api/sync: the protocol's behaviours, one per test (SPEC §5)."""
import uuid

from tests.factories import make_nudge, mutation

from .helpers import sync


def test_sync_upsert_creates_the_record_with_the_client_id(signed_in):
    rid = uuid.uuid4()
    answer = sync(signed_in, [mutation("rejections", record_id=rid, fields={"company": "Acme"})])
    assert answer["rejected"] == []
    [change] = answer["changes"]
    assert change["entity"] == "rejections" and change["id"] == str(rid)
    assert change["deleted"] is False and change["data"]["company"] == "Acme"
    assert change["version"] == change["data"]["version"] == answer["cursor"]
    assert signed_in.get(f"/api/rejections/{rid}").get_json()["company"] == "Acme"


def test_sync_reports_applied_ids_in_order(signed_in):
    items = [mutation("contacts", fields={"name": n}) for n in ("A", "B", "C")]
    answer = sync(signed_in, items)
    assert answer["applied"] == [m["mutation_id"] for m in items]


def test_sync_upsert_merges_only_the_given_fields(signed_in):
    rid = uuid.uuid4()
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "Sam", "notes": "x"})])
    # Two devices edit different fields of one record: both edits stay.
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"notes": "from phone"})])
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"relationship": "mentor"})])
    record = signed_in.get(f"/api/contacts/{rid}").get_json()
    assert (record["name"], record["notes"], record["relationship"]) == ("Sam", "from phone",
                                                                         "mentor")


def test_sync_same_field_later_arrival_wins(signed_in):
    rid = uuid.uuid4()
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "Sam"})])
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"notes": "laptop"}),
                     mutation("contacts", record_id=rid, fields={"notes": "phone"})])
    assert signed_in.get(f"/api/contacts/{rid}").get_json()["notes"] == "phone"


def test_sync_validates_the_merged_record(signed_in):
    rid = uuid.uuid4()
    sync(signed_in, [mutation("contacts", record_id=rid, fields={
        "name": "Sam", "channel": "email", "handle": "sam@example.org"})])
    answer = sync(signed_in, [mutation("contacts", record_id=rid, fields={"channel": "phone"})])
    [refused] = answer["rejected"]
    assert refused["error"]["code"] == "validation_error"
    assert "handle" in refused["error"]["fields"]
    assert signed_in.get(f"/api/contacts/{rid}").get_json()["channel"] == "email"


def test_sync_skips_already_applied_mutation(signed_in, count_rows):
    item = mutation("checkins", fields={"mood": 3})
    first = sync(signed_in, [item])
    again = sync(signed_in, [item], cursor=first["cursor"])
    assert again["applied"] == [item["mutation_id"]] and again["rejected"] == []
    assert again["changes"] == [] and again["cursor"] == first["cursor"]
    assert count_rows("checkins") == 1


def test_sync_same_mutation_twice_in_one_request_applies_once(signed_in, count_rows):
    item = mutation("checkins", fields={"mood": 3})
    answer = sync(signed_in, [item, item])
    assert answer["applied"] == [item["mutation_id"]] * 2
    assert count_rows("checkins") == 1 and count_rows("applied_mutations") == 1


def test_sync_rechecks_a_refused_mutation_id(signed_in):
    rid = uuid.uuid4()
    item = mutation("contacts", record_id=rid, fields={"notes": "no name yet"})
    assert sync(signed_in, [item])["rejected"][0]["error"]["code"] == "validation_error"
    # Only applied ids are remembered: the same id, sent again, is checked again.
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "Kim"})])
    assert sync(signed_in, [item])["applied"] == [item["mutation_id"]]
    assert signed_in.get(f"/api/contacts/{rid}").get_json()["notes"] == "no name yet"


def test_sync_mutation_ids_are_unique_per_user_not_global(signed_in, other_signed_in):
    shared_id = uuid.uuid4()
    sync(signed_in, [mutation("checkins", fields={"mood": 2}, mutation_id=shared_id)])
    answer = sync(other_signed_in,
                  [mutation("checkins", fields={"mood": 4}, mutation_id=shared_id)])
    assert answer["applied"] == [str(shared_id)]
    assert [c["data"]["mood"] for c in answer["changes"]] == [4]


def test_sync_delete_leaves_a_tombstone(signed_in):
    rid = uuid.uuid4()
    created = sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "Jo"})])
    answer = sync(signed_in, [mutation("contacts", "delete", rid)], cursor=created["cursor"])
    assert answer["changes"] == [{"entity": "contacts", "id": str(rid),
                                  "version": created["cursor"] + 1, "deleted": True,
                                  "data": None}]
    assert signed_in.get(f"/api/contacts/{rid}").status_code == 404


def test_sync_pull_from_null_cursor_includes_tombstones(signed_in):
    rid = uuid.uuid4()
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "Jo"}),
                     mutation("contacts", "delete", rid)])
    answer = sync(signed_in, cursor=None)
    assert [(c["id"], c["deleted"], c["data"]) for c in answer["changes"]] == [
        (str(rid), True, None)]


def test_sync_delete_wins_over_a_later_upsert(signed_in):
    rid = uuid.uuid4()
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "Jo"}),
                     mutation("contacts", "delete", rid)])
    answer = sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "Back"})])
    assert answer["rejected"][0]["error"]["code"] == "gone"
    assert answer["changes"][0]["deleted"] is True


def test_sync_delete_twice_is_applied_and_changes_nothing(signed_in):
    rid = uuid.uuid4()
    first = sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "Jo"}),
                             mutation("contacts", "delete", rid)])
    answer = sync(signed_in, [mutation("contacts", "delete", rid)], cursor=first["cursor"])
    assert len(answer["applied"]) == 1 and answer["changes"] == []


def test_sync_pull_happens_after_the_requests_own_mutations(signed_in):
    first = sync(signed_in, [mutation("checkins", fields={"mood": 1})])
    answer = sync(signed_in, [mutation("checkins", fields={"mood": 5})], cursor=first["cursor"])
    assert [c["data"]["mood"] for c in answer["changes"]] == [5]
    assert answer["cursor"] == first["cursor"] + 1


def test_sync_sends_each_record_once_at_its_latest_state(signed_in):
    rid = uuid.uuid4()
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "v1"}),
                     mutation("contacts", record_id=rid, fields={"name": "v2"}),
                     mutation("contacts", fields={"name": "other"}),
                     mutation("contacts", record_id=rid, fields={"name": "v3"})])
    answer = sync(signed_in)
    assert [c["data"]["name"] for c in answer["changes"]] == ["other", "v3"]
    assert [c["version"] for c in answer["changes"]] == [3, 4]


def test_sync_changes_come_oldest_version_first_across_entities(signed_in):
    sync(signed_in, [mutation("contacts", fields={"name": "a"}),
                     mutation("checkins", fields={"mood": 2}),
                     mutation("applications", fields={"company": "c"}),
                     mutation("contacts", fields={"name": "d"})])
    answer = sync(signed_in)
    assert [c["entity"] for c in answer["changes"]] == [
        "contacts", "checkins", "applications", "contacts"]
    assert [c["version"] for c in answer["changes"]] == [1, 2, 3, 4]


def test_sync_limit_pages_with_has_more(signed_in):
    sync(signed_in, [mutation("checkins", fields={"mood": m}) for m in (1, 2, 3, 4, 5)])
    seen, cursor, pages = [], None, 0
    while True:
        answer = sync(signed_in, cursor=cursor, limit=2)
        pages += 1
        seen += [c["data"]["mood"] for c in answer["changes"]]
        assert len(answer["changes"]) <= 2
        cursor = answer["cursor"]
        if not answer["has_more"]:
            break
    assert seen == [1, 2, 3, 4, 5] and pages == 3 and cursor == 5


def test_sync_cursor_steps_over_version_gaps(signed_in):
    # A refused mutation may use up a version number: the cursor still ends at the top,
    # so the next pull does not look at the gap again.
    answer = sync(signed_in, [mutation("breaks", fields={}), mutation("breaks", fields={})])
    assert [r["error"]["code"] for r in answer["rejected"]] == ["conflict"]
    assert [c["version"] for c in answer["changes"]] == [1]
    assert answer["cursor"] == 2
    again = sync(signed_in, cursor=answer["cursor"])
    assert again["changes"] == [] and again["cursor"] == 2


def test_sync_empty_request_is_a_first_pull(signed_in):
    answer = sync(signed_in)
    assert answer == {"applied": [], "rejected": [], "changes": [], "cursor": 0,
                      "has_more": False}


def test_sync_pull_includes_rest_writes(signed_in):
    created = signed_in.post("/api/contacts", {"name": "Via REST"}).get_json()
    answer = sync(signed_in)
    assert [(c["id"], c["version"]) for c in answer["changes"]] == [
        (created["id"], created["version"])]


def test_sync_second_active_break_is_a_conflict(signed_in):
    first, second = mutation("breaks", fields={}), mutation("breaks", fields={})
    answer = sync(signed_in, [first, second])
    assert answer["applied"] == [first["mutation_id"]]
    assert answer["rejected"] == [{"mutation_id": second["mutation_id"], "error": {
        "code": "conflict",
        "message": "A break is already active. End it before starting another."}}]


def test_sync_rejected_mutation_does_not_stop_the_rest(signed_in):
    good_before = mutation("checkins", fields={"mood": 2})
    bad = mutation("checkins", fields={"mood": 9})
    good_after = mutation("checkins", fields={"mood": 4})
    answer = sync(signed_in, [good_before, bad, good_after])
    assert answer["applied"] == [good_before["mutation_id"], good_after["mutation_id"]]
    assert [r["mutation_id"] for r in answer["rejected"]] == [bad["mutation_id"]]
    assert [c["data"]["mood"] for c in answer["changes"]] == [2, 4]


def test_sync_rejection_linked_to_application_marks_it_rejected(signed_in):
    app_id, rej_id = uuid.uuid4(), uuid.uuid4()
    answer = sync(signed_in, [
        mutation("applications", record_id=app_id, fields={"company": "Acme"}),
        mutation("rejections", record_id=rej_id,
                 fields={"company": "Acme", "application_id": str(app_id)})])
    latest = {c["id"]: c["data"] for c in answer["changes"]}
    assert latest[str(app_id)]["status"] == "rejected"


def test_sync_nudge_marks_are_allowed(app, signed_in):
    nudge_id = make_nudge(app, signed_in.user["id"])
    answer = sync(signed_in, [mutation("nudges", record_id=nudge_id, fields={"read": True})])
    assert answer["rejected"] == []
    [change] = answer["changes"]
    assert change["entity"] == "nudges" and change["data"]["read_at"] is not None
    assert "dedupe_key" not in change["data"] and "lease_until" not in change["data"]


def test_sync_requires_a_session(client):
    response = client.post("/api/sync", {"cursor": None, "mutations": []})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_sync_requires_the_csrf_header(signed_in):
    response = signed_in.client.post("/api/sync", json={"cursor": None})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf"


def test_sync_is_in_the_openapi_document(client):
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/sync"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/SyncRequest")
    assert operation["responses"]["200"]["content"]["application/json"]["schema"][
        "$ref"].endswith("/SyncResponse")
    assert set(document["components"]["schemas"]["SyncResponse"]["properties"]) == {
        "applied", "rejected", "changes", "cursor", "has_more"}


def test_sync_forgets_applied_ids_after_30_days(app, signed_in, count_rows):
    from datetime import timedelta

    from sqlalchemy import update

    from backend.extensions import db
    from backend.models import AppliedMutation, utcnow

    old, recent = mutation("checkins", fields={"mood": 1}), mutation("checkins", fields={"mood": 2})
    sync(signed_in, [old, recent])
    with app.app_context():
        db.session.execute(update(AppliedMutation)
                           .where(AppliedMutation.mutation_id == uuid.UUID(old["mutation_id"]))
                           .values(applied_at=utcnow() - timedelta(days=31)))
        db.session.commit()
    sync(signed_in, [recent])
    assert count_rows("applied_mutations") == 1


def test_sync_edit_of_a_record_pointing_at_a_deleted_one_is_applied(signed_in):
    app_id, rej_id = uuid.uuid4(), uuid.uuid4()
    sync(signed_in, [mutation("applications", record_id=app_id, fields={"company": "Acme"}),
                     mutation("rejections", record_id=rej_id,
                              fields={"company": "Acme", "application_id": str(app_id)}),
                     mutation("applications", "delete", app_id)])
    edit = mutation("rejections", record_id=rej_id, fields={"lessons": "ask earlier"})
    answer = sync(signed_in, [edit])
    assert answer["applied"] == [edit["mutation_id"]] and answer["rejected"] == []
    assert signed_in.get(f"/api/rejections/{rej_id}").get_json()["lessons"] == "ask earlier"


def test_sync_pointing_a_record_at_a_deleted_one_is_refused(signed_in):
    app_id, rej_id = uuid.uuid4(), uuid.uuid4()
    sync(signed_in, [mutation("applications", record_id=app_id, fields={"company": "Acme"}),
                     mutation("applications", "delete", app_id),
                     mutation("rejections", record_id=rej_id, fields={"company": "Acme"})])
    answer = sync(signed_in, [mutation("rejections", record_id=rej_id,
                                       fields={"application_id": str(app_id)})])
    assert answer["rejected"][0]["error"] == {
        "code": "validation_error", "message": "Some fields need another look.",
        "fields": {"application_id": ["No such application."]}}
    assert signed_in.get(f"/api/rejections/{rej_id}").get_json()["application_id"] is None
