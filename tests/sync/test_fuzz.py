"""Whatever a client sends, /api/sync answers 200 or 422, never 500, and a 422 changes nothing."""
import os
import uuid

from hypothesis import HealthCheck, given, settings, strategies as st

from backend.services.entities import ENTITIES

from .devices import FlaskTransport, new_user_with_sessions

EXAMPLES = int(os.environ.get("SYNC_FUZZ_EXAMPLES", 150))

json_scalars = (st.none() | st.booleans() | st.integers(-2**40, 2**40)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
                | st.sampled_from(["2026-02-30", "2026-01-01", "2026-01-01T10:00:00+14:00",
                                   "9999-12-31T23:59:59-23:59", "https://x.org", "+1 555 0100",
                                   "a@b.org", str(uuid.uuid4()), "applied", "interview"]))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=6)
field_names = sorted({name for ent in ENTITIES.values() for name in ent.schema.fields}
                     | {"read", "dismissed", "snooze_days"})
mutations = st.fixed_dictionaries(
    {"mutation_id": st.uuids().map(str),
     "entity": st.sampled_from(sorted(ENTITIES)) | json_scalars,
     "op": st.sampled_from(["upsert", "upsert", "delete"]) | json_scalars,
     "id": st.uuids().map(str) | json_scalars},
    optional={"fields": st.dictionaries(st.sampled_from(field_names), json_values, max_size=6)
              | json_values})
bodies = st.fixed_dictionaries(
    {}, optional={"cursor": st.none() | st.integers(-1, 3) | json_scalars,
                  "limit": st.integers(0, 1001) | json_scalars,
                  "mutations": st.lists(mutations, max_size=6) | json_values})


def test_sync_never_fails_on_any_body(app, snapshot):
    _, [cookie] = new_user_with_sessions(app, 1)
    transport = FlaskTransport(app, cookie)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(bodies)
    def check(body):
        before = snapshot()
        status, answer = transport.sync(body)
        assert status in (200, 422), answer
        if status == 422:
            assert answer["error"]["code"] == "validation_error" and answer["error"]["fields"]
            assert snapshot() == before
        else:
            answered = len(answer["applied"]) + len(answer["rejected"])
            assert answered == len(body.get("mutations", []))

    check()
