"""Property test: three devices edit offline, sync in random order, push twice and
lose answers, and still end up equal to the server, which equals the oracle.

Examples per run come from HYPOTHESIS_PROFILE (see conftest.py): `ci` (the
default, 200), `local` (1,000), `quick` (25).
"""
import threading

import pytest
from hypothesis import event, strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, rule,
                                 run_state_machine_as_test)
from werkzeug.serving import make_server

from .helpers import sync_settings
from .devices import (INVALID, TOMBSTONE, Device, FlaskTransport, HttpTransport, Oracle,
                      full_state, new_user_with_sessions)

DEVICES = 3
WORDS = ["", "ok", "better today", "Zoë ✓", "a longer note about the week"]
ENTITY_FIELDS = {
    "contacts": {
        "name": st.sampled_from(["Ana", "Ben", "Chloé"]),
        "relationship": st.sampled_from(["friend", "family", "mentor", None]),
        "notes": st.sampled_from(WORDS),
        "check_in_every_days": st.integers(1, 30) | st.none(),
    },
    "checkins": {
        "mood": st.integers(1, 5),
        "note": st.sampled_from(WORDS),
        "emotions": st.lists(st.sampled_from(["sad", "hopeful", "numb"]), max_size=2,
                             unique=True),
    },
    "breaks": {
        "started_at": st.just("2026-01-01T10:00:00+00:00"),
        "ended_at": st.sampled_from([None, "2026-01-02T10:00:00+00:00"]),
        "note": st.sampled_from(WORDS),
        "mood_before": st.integers(1, 5),
    },
    "rejections": {
        "company": st.sampled_from(["Acme", "Globex"]),
        "stage": st.sampled_from(["screening", "final_round", None]),
        "mood": st.integers(1, 5) | st.none(),
        "feedback_status": st.sampled_from(["not_requested", "requested", "received"]),
        "thinking_traps": st.lists(st.sampled_from(["personalizing", "mind_reading"]),
                                   max_size=2, unique=True),
        "feelings": st.sampled_from(WORDS),
    },
    "applications": {
        "company": st.sampled_from(["Acme", "Globex", "Initech"]),
        "role": st.sampled_from(["Engineer", "Designer", None]),
        "status": st.sampled_from(["applied", "screening", "interviewing", "rejected"]),
        "notes": st.sampled_from(WORDS),
    },
}
BAD_FIELD = {"contacts": "check_in_every_days", "checkins": "mood", "applications": "status",
             "breaks": "mood_before", "rejections": "mood"}
# Always sent on create; never edited (a break's start stays put).
CREATE_WITH = {"contacts": "name", "checkins": "mood", "applications": "company",
               "breaks": "started_at", "rejections": "company"}


@st.composite
def new_record(draw):
    entity = draw(st.sampled_from(sorted(ENTITY_FIELDS)))
    return entity, draw(some_fields(entity, CREATE_WITH[entity]))


@st.composite
def some_fields(draw, entity, required=None):
    """Some fields of the entity; now and then one with a value the schema refuses."""
    strategies = ENTITY_FIELDS[entity]
    editable = sorted(set(strategies) - {"started_at"})
    names = draw(st.lists(st.sampled_from(editable), min_size=1, unique=True))
    if required and required not in names:
        names.append(required)
    fields = {name: draw(strategies[name]) for name in names}
    if draw(st.integers(0, 9)) == 0:
        fields[BAD_FIELD[entity]] = INVALID[BAD_FIELD[entity]]
    return fields


def machine_for(make_transports, runs):
    """The state machine class; each run (example) appends to `runs`."""
    class Devices(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            runs.append(1)
            transports, self.observer = make_transports()
            self.devices = [Device(f"device {n}", t) for n, t in enumerate(transports)]
            self.oracle = Oracle()
            # Kept apart from the oracle's merge, for the first invariant:
            self.latest = {}        # (key, field) -> value of the last applied write to it
            self.acknowledged = []  # mutations a device was told were applied

        @initialize(records=st.lists(st.tuples(st.integers(0, DEVICES - 1), new_record()),
                                     min_size=1, max_size=4))
        def records_every_device_knows(self, records):
            # Hypothesis switches whole rules off in some runs (swarm testing); without a
            # start like this, a run without `create` has nothing to edit, delete or race on.
            for n, record in records:
                self.devices[n].create(*record)
            self.settle()

        @rule(n=st.integers(0, DEVICES - 1), record=new_record())
        def create(self, n, record):
            self.devices[n].create(*record)

        @rule(n=st.integers(0, DEVICES - 1), data=st.data())
        def edit(self, n, data):
            device = self.devices[n]
            keys = device.live_keys()
            if keys:
                key = data.draw(st.sampled_from(keys))
                device.edit(key, data.draw(some_fields(key[0])))

        @rule(n=st.integers(0, DEVICES - 1), data=st.data())
        def delete(self, n, data):
            device = self.devices[n]
            keys = device.live_keys()
            if keys:
                device.delete(data.draw(st.sampled_from(keys)))

        @rule(n=st.integers(0, DEVICES - 1), limit=st.sampled_from([1, 2, 5, 500]),
              mode=st.sampled_from(["normal", "normal", "lost", "duplicate"]))
        def sync(self, n, limit, mode):
            device = self.devices[n]
            body = device.request(limit)
            if mode in ("lost", "duplicate"):
                # The server answers (checked here), but the answer never reaches the device.
                self.check_answer(body, device.send(body))
            if mode != "lost":
                self.exchange(device, body)
            self.server_matches_oracle()

        @rule()
        def everyone_syncs_twice(self):
            self.settle()

        def exchange(self, device, body):
            answer = self.check_answer(body, device.send(body))
            device.receive(answer)
            acked = set(answer["applied"])
            self.acknowledged += [m for m in body["mutations"] if m["mutation_id"] in acked]
            return answer

        def check_answer(self, body, answer):
            """The answer is what the oracle predicts, and no tombstone comes back in it."""
            known = set(self.oracle.applied)
            applied, rejected = self.oracle.apply(body["mutations"])
            assert answer["applied"] == applied
            for m in body["mutations"]:
                if m["mutation_id"] in applied and m["mutation_id"] not in known:
                    known.add(m["mutation_id"])
                    key = (m["entity"], m["id"])
                    self.latest.update({(key, f): v for f, v in m.get("fields", {}).items()})
            assert {r["mutation_id"]: r["error"]["code"] for r in answer["rejected"]} == rejected
            for code in sorted(set(rejected.values())):
                event(f"rejected: {code}")
            for change in answer["changes"]:
                key = (change["entity"], change["id"])
                if key in self.oracle.tombstoned:
                    assert change["deleted"], f"{key} came back to life"
            return answer

        def settle(self):
            for _ in range(2):
                for device in self.devices:
                    answer = self.exchange(device, device.request())
                    assert device.outbox == [], "every mutation sent is answered"
                    while answer["has_more"]:  # a page of 500; the rest follows at once
                        answer = self.exchange(device, device.request())
            server = full_state(self.observer)
            self.oracle.matches(server)
            self.acknowledged_effects_are_on(server)
            for device in self.devices:
                assert device.outbox == []
                assert device.local == server, device.name

        def server_matches_oracle(self):
            # Checked after each sync (local edits cannot change the server).
            server = full_state(self.observer)
            self.oracle.matches(server)
            self.acknowledged_effects_are_on(server)

        def acknowledged_effects_are_on(self, server):
            """Invariant 1: a delete a device was told of is a tombstone; a field an
            acknowledged upsert wrote holds the last value written to it (a later write
            may replace it, nothing may lose it), unless the record was deleted."""
            for m in self.acknowledged:
                key = (m["entity"], m["id"])
                assert key in server, f"acknowledged {m['mutation_id']}: {key} is missing"
                if m["op"] == "delete":
                    assert server[key] is TOMBSTONE, f"acknowledged delete of {key} undone"
                elif server[key] is not TOMBSTONE:
                    for field in m.get("fields", {}):
                        assert server[key][field] == self.latest[(key, field)], (key, field)

        def teardown(self):
            self.settle()

    return Devices


def run_machine(make_transports, chosen):
    runs = []
    run_state_machine_as_test(machine_for(make_transports, runs), settings=chosen)
    # The profile's example count really ran (200 in CI), not fewer.
    assert len(runs) >= chosen.max_examples, (len(runs), chosen.max_examples)


def test_devices_converge_over_the_test_client(app):
    def transports():
        _, cookies = new_user_with_sessions(app, DEVICES + 1)
        made = [FlaskTransport(app, cookie) for cookie in cookies]
        return made[:DEVICES], made[DEVICES]

    run_machine(transports, sync_settings())


@pytest.fixture
def live_server(app):
    """The app served over real HTTP by a werkzeug server on a free port; yields its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_devices_converge_over_real_http_and_the_test_client_together(app, live_server):
    """Devices 0 and 2 speak real HTTP to a werkzeug server, device 1 and the observer
    use the test client: one server, both transports, in one run."""
    name = app.config["SESSION_COOKIE_NAME"]

    def transports():
        _, cookies = new_user_with_sessions(app, DEVICES + 1)
        made = [HttpTransport(live_server, name, cookie) if n % 2 == 0
                else FlaskTransport(app, cookie) for n, cookie in enumerate(cookies[:DEVICES])]
        return made, FlaskTransport(app, cookies[DEVICES])

    run_machine(transports, sync_settings(http=True))
