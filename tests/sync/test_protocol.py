"""The protocol's pure parts, without an app or a database."""
import uuid

import marshmallow as ma
import pytest
from hypothesis import given, strategies as st

from backend.exceptions import Conflict, Forbidden, Gone, Invalid, NotFound
from backend.sync.protocol import (MutationError, SyncRequestSchema, check_mutation, error_of,
                                   order_changes, plan_page)

NAMES = {"rejections", "contacts"}
MID = uuid.uuid4()


def item(**overrides):
    return {"mutation_id": MID, "entity": "contacts", "op": "upsert", "id": str(uuid.uuid4()),
            "fields": {"name": "x"}, **overrides}


def test_request_defaults_are_a_first_pull_of_500():
    assert SyncRequestSchema().load({}) == {"cursor": None, "mutations": [], "limit": 500}


def test_request_ignores_keys_it_does_not_know():
    loaded = SyncRequestSchema().load({"cursor": 3, "client": "pwa 1.2",
                                       "mutations": [{**item(), "mutation_id": str(MID),
                                                      "queued_at": "x"}]})
    assert loaded["cursor"] == 3 and loaded["mutations"][0]["mutation_id"] == MID
    assert "queued_at" not in loaded["mutations"][0]


def test_request_item_keeps_other_problems_for_later():
    loaded = SyncRequestSchema().load({"mutations": [{"mutation_id": str(MID), "entity": 5,
                                                      "op": None, "fields": "x"}]})
    assert loaded["mutations"][0] == {"mutation_id": MID, "entity": 5, "op": None,
                                      "fields": "x"}


def test_check_mutation_parses_a_good_upsert():
    parsed = check_mutation(item(), NAMES)
    assert (parsed.entity, parsed.op, parsed.fields) == ("contacts", "upsert", {"name": "x"})


def test_check_mutation_delete_ignores_fields():
    assert check_mutation(item(op="delete", fields="junk"), NAMES).fields == {}


def test_check_mutation_upsert_without_fields_has_empty_fields():
    raw = item()
    del raw["fields"]
    assert check_mutation(raw, NAMES).fields == {}


@pytest.mark.parametrize("overrides, code", [
    ({"entity": "users"}, "unknown_entity"),
    ({"entity": ["contacts"]}, "unknown_entity"),
    ({"op": "patch"}, "unknown_op"),
    ({"id": "1234"}, "validation_error"),
    ({"id": None}, "validation_error"),
    ({"fields": [1]}, "validation_error"),
    ({"entity": "users", "op": "patch"}, "unknown_entity"),
])
def test_check_mutation_refuses(overrides, code):
    with pytest.raises(MutationError) as caught:
        check_mutation(item(**overrides), NAMES)
    assert caught.value.code == code


@pytest.mark.parametrize("exc, code", [
    (ma.ValidationError({"mood": ["Bad."]}), "validation_error"),
    (Invalid(fields={"handle": ["Bad."]}), "validation_error"),
    (Gone(), "gone"),
    (NotFound(), "not_found"),
    (Forbidden("No."), "forbidden"),
    (Conflict("Active break."), "conflict"),
])
def test_error_of_maps_service_errors_to_codes(exc, code):
    assert error_of(exc).code == code


def test_error_of_leaves_unexpected_errors_alone():
    assert error_of(RuntimeError("boom")) is None


def test_plan_page_without_changes_moves_the_cursor_to_the_top():
    assert plan_page([], limit=10, upper=7) == ({}, 7, False)


def test_plan_page_with_more_stops_at_the_last_version_sent():
    found = [("a", 3), ("b", 4), ("a", 6), ("c", 9)]
    assert plan_page(found, limit=3, upper=12) == ({"a": (3, 6), "b": (4, 4)}, 6, True)


@given(st.lists(st.lists(st.integers(1, 200), unique=True), max_size=7),
       st.integers(1, 20))
def test_a_page_holds_the_oldest_versions_of_all_entities(per_entity, limit):
    # Versions are unique per user across entities; the probe returns limit + 1 at most.
    seen, rows = set(), {}
    for index, versions in enumerate(per_entity):
        versions = [v for v in versions if v not in seen]
        seen.update(versions)
        rows[index] = sorted(versions)
    upper = max(seen, default=0) + 3
    found = sorted(((e, v) for e, vs in rows.items() for v in vs), key=lambda p: p[1])
    ranges, cursor, has_more = plan_page(found[:limit + 1], limit, upper)
    # What the range reads return, ordered:
    changes = order_changes([{"entity": e, "version": v} for v in rows[e] if low <= v <= high]
                            for e, (low, high) in ranges.items())
    everything = sorted(seen)
    assert [c["version"] for c in changes] == everything[:limit]
    assert has_more == (len(everything) > limit)
    assert cursor == (changes[-1]["version"] if has_more else upper)
