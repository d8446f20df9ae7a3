"""A simulated device and an oracle of the server, for the sync property tests.

A Device keeps what the PWA keeps: a local copy of every record, an outbox of
pending mutations and a cursor. It speaks the protocol through a transport (the
Flask test client or real HTTP) and follows SPEC §5's client rules: pulled
changes overwrite local copies except fields with pending local mutations,
which are re-applied on top; a tombstone stays a tombstone; a rejected
mutation is not retried.

The Oracle applies the same requests in the order the server receives them,
with the protocol's rules written out plainly, and predicts every answer.
"""
import uuid

from backend.extensions import db
from backend.services import accounts, sessions


def new_user_with_sessions(app, devices):
    """A fresh user and `devices` signed-in session cookies (no login rate limit)."""
    with app.app_context():
        user = accounts.register(f"sync-{uuid.uuid4().hex[:12]}@example.org",
                                 "correct horse battery")
        tokens = [sessions.start(user, f"device {n}") for n in range(devices)]
        user_id = user.id
        db.session.remove()
    serializer = app.session_interface.get_signing_serializer(app)
    cookies = [serializer.dumps({"_user_id": token, "_fresh": True, "_permanent": True})
               for token in tokens]
    return user_id, cookies


class FlaskTransport:
    def __init__(self, app, cookie):
        self.client = app.test_client()
        self.client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)

    def sync(self, body):
        response = self.client.post("/api/sync", json=body,
                                    headers={"X-Requested-With": "rebound"})
        return response.status_code, response.get_json()


class HttpTransport:
    def __init__(self, base_url, cookie_name, cookie):
        import requests

        self.base_url = base_url
        self.http = requests.Session()
        self.http.cookies.set(cookie_name, cookie)

    def sync(self, body):
        response = self.http.post(self.base_url + "/api/sync", json=body,
                                  headers={"X-Requested-With": "rebound"}, timeout=10)
        return response.status_code, response.json()


TOMBSTONE = None


class Device:
    def __init__(self, name, transport):
        self.name = name
        self.transport = transport
        self.local = {}      # (entity, id) -> data dict, or TOMBSTONE
        self.outbox = []     # pending mutations, in order
        self.cursor = None
        self.dead = set()    # keys the server has sent as tombstones

    # Offline writes -------------------------------------------------------

    def create(self, entity, fields):
        key = (entity, str(uuid.uuid4()))
        self.local[key] = dict(fields)
        return self._queue("upsert", key, fields)

    def edit(self, key, fields):
        self.local[key] = {**self.local[key], **fields}
        return self._queue("upsert", key, fields)

    def delete(self, key):
        self.local[key] = TOMBSTONE
        return self._queue("delete", key, None)

    def live_keys(self):
        return sorted(k for k, v in self.local.items() if v is not TOMBSTONE)

    def _queue(self, op, key, fields):
        mutation = {"mutation_id": str(uuid.uuid4()), "entity": key[0], "op": op, "id": key[1]}
        if fields is not None:
            mutation["fields"] = dict(fields)
        self.outbox.append(mutation)
        return mutation

    # Sync -----------------------------------------------------------------

    def request(self, limit=500):
        return {"cursor": self.cursor, "mutations": [dict(m) for m in self.outbox],
                "limit": limit}

    def send(self, body):
        status, answer = self.transport.sync(body)
        assert status == 200, answer
        return answer

    def receive(self, answer):
        """Take in a response: drop answered mutations, apply changes, re-apply pending ones."""
        answered = set(answer["applied"]) | {r["mutation_id"] for r in answer["rejected"]}
        self.outbox = [m for m in self.outbox if m["mutation_id"] not in answered]
        for change in answer["changes"]:
            key = (change["entity"], change["id"])
            if change["deleted"]:
                assert change["data"] is None
                self.local[key] = TOMBSTONE
                self.dead.add(key)
            else:
                assert key not in self.dead, f"{key} came back to life"
                self.local[key] = change["data"]
        touched = {(c["entity"], c["id"]) for c in answer["changes"]}
        for mutation in self.outbox:
            key = (mutation["entity"], mutation["id"])
            if key in touched and mutation["op"] == "upsert" and self.local[key] is not TOMBSTONE:
                self.local[key] = {**self.local[key], **mutation["fields"]}
            elif key in touched and mutation["op"] == "delete":
                self.local[key] = TOMBSTONE
        self.cursor = answer["cursor"]

    def sync_until_done(self, limit=500, on_answer=None):
        """Push the outbox and pull pages until has_more is false."""
        while True:
            body = self.request(limit)
            answer = self.send(body)
            if on_answer:
                on_answer(body, answer)
            self.receive(answer)
            if not answer["has_more"] and not self.outbox:
                return answer


class Oracle:
    """The server as the protocol describes it, fed requests in arrival order."""

    def __init__(self):
        self.records = {}     # (entity, id) -> client-written fields, or TOMBSTONE
        self.applied = set()  # mutation ids applied
        self.tombstoned = set()

    def apply(self, mutations):
        """Predict (applied, {mutation_id: code}) for one request's mutations."""
        applied, rejected = [], {}
        for m in mutations:
            mid = m["mutation_id"]
            if mid in self.applied:
                applied.append(mid)
                continue
            key = (m["entity"], m["id"])
            current = self.records.get(key, "missing")
            if m["op"] == "delete":
                if current == "missing":
                    rejected[mid] = "not_found"
                    continue
                self.records[key] = TOMBSTONE
                self.tombstoned.add(key)
            elif current is TOMBSTONE:
                rejected[mid] = "gone"
                continue
            elif current == "missing":
                self.records[key] = dict(m["fields"])
            else:
                self.records[key] = {**current, **m["fields"]}
            self.applied.add(mid)
            applied.append(mid)
        return applied, rejected

    def matches(self, server):
        """Check the server's full state ({key: data or None}) against the prediction."""
        assert set(server) == set(self.records), (set(server) ^ set(self.records))
        for key, expected in self.records.items():
            actual = server[key]
            if expected is TOMBSTONE:
                assert actual is TOMBSTONE, f"{key} should be a tombstone"
            else:
                assert actual is not TOMBSTONE, f"{key} should be live"
                assert {f: actual[f] for f in expected} == expected, key


def full_state(transport, limit=1000):
    """Every record of the user from a null cursor: {key: data or TOMBSTONE}."""
    state, cursor = {}, None
    while True:
        status, answer = transport.sync({"cursor": cursor, "mutations": [], "limit": limit})
        assert status == 200, answer
        for change in answer["changes"]:
            key = (change["entity"], change["id"])
            assert key not in state, f"{key} sent twice in one pull"
            state[key] = TOMBSTONE if change["deleted"] else change["data"]
        cursor = answer["cursor"]
        if not answer["has_more"]:
            return state
