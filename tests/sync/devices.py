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
        db.session.commit()  # services never commit: this helper is the unit of work
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
    """What the PWA keeps: the server's copy of each record, the outbox, the cursor.

    What the user sees (`local`) is the server's copy with the pending mutations
    laid over it in order: so pulled changes overwrite local copies except the
    fields of pending mutations, and a rejected mutation, once dropped from the
    outbox, no longer shows (the simulated user discards it).
    """

    def __init__(self, name, transport):
        self.name = name
        self.transport = transport
        self.server_copy = {}  # (entity, id) -> data dict, or TOMBSTONE
        self.outbox = []       # pending mutations, in order
        self.cursor = None
        # Keys in the order this device first saw them: random UUIDs must not decide
        # which record a test step picks, or hypothesis could not replay a case.
        self.first_seen = {}

    # What the user sees ---------------------------------------------------

    @property
    def local(self):
        view = dict(self.server_copy)
        for m in self.outbox:
            key = (m["entity"], m["id"])
            current = view.get(key, "missing")
            if m["op"] == "delete" or current is TOMBSTONE:
                view[key] = TOMBSTONE
            else:
                view[key] = {**({} if current == "missing" else current), **m["fields"]}
        return view

    def live_keys(self):
        return sorted((k for k, v in self.local.items() if v is not TOMBSTONE),
                      key=self.first_seen.__getitem__)

    # Offline writes -------------------------------------------------------

    def create(self, entity, fields):
        return self._queue("upsert", (entity, str(uuid.uuid4())), fields)

    def edit(self, key, fields):
        return self._queue("upsert", key, fields)

    def delete(self, key):
        return self._queue("delete", key, None)

    def _queue(self, op, key, fields):
        self.first_seen.setdefault(key, len(self.first_seen))
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
        """Take in an answer: drop answered mutations (applied or refused), store changes."""
        answered = set(answer["applied"]) | {r["mutation_id"] for r in answer["rejected"]}
        self.outbox = [m for m in self.outbox if m["mutation_id"] not in answered]
        for change in answer["changes"]:
            key = (change["entity"], change["id"])
            self.first_seen.setdefault(key, len(self.first_seen))
            if change["deleted"]:
                assert change["data"] is None
                self.server_copy[key] = TOMBSTONE
            else:
                assert self.server_copy.get(key, {}) is not TOMBSTONE, f"{key} came back to life"
                assert change["data"]["version"] == change["version"]
                self.server_copy[key] = change["data"]
        self.cursor = answer["cursor"]


INVALID = {"mood": 9, "check_in_every_days": 0, "status": "lost", "mood_before": 9}
REQUIRED = {"contacts": "name", "checkins": "mood", "applications": "company",
            "rejections": "company"}


def valid(fields):
    """Whether these fields pass the schema (the tests write INVALID values on purpose)."""
    return not any(INVALID.get(name, object()) == value for name, value in fields.items())


class Oracle:
    """The server as the protocol describes it, fed requests in arrival order."""

    def __init__(self):
        self.records = {}     # (entity, id) -> client-written fields, or TOMBSTONE
        self.applied = set()  # mutation ids applied
        self.tombstoned = set()
        self.started_now = set()  # breaks created without started_at: they start "now"

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
            refusal = self._refusal(m, key, current)
            if refusal:
                rejected[mid] = refusal
                continue
            if m["op"] == "delete":
                self.records[key] = TOMBSTONE
                self.tombstoned.add(key)
            elif current == "missing":
                self.records[key] = dict(m["fields"])
                if m["entity"] == "breaks" and "started_at" not in m["fields"]:
                    self.started_now.add(key)
            else:
                self.records[key] = {**current, **m["fields"]}
            self.applied.add(mid)
            applied.append(mid)
        return applied, rejected

    def _refusal(self, m, key, current):
        if m["op"] == "delete":
            return "not_found" if current == "missing" else None
        if current is TOMBSTONE:
            return "gone"
        fields = m["fields"]
        if not valid(fields):
            return "validation_error"
        if current == "missing" and REQUIRED.get(m["entity"]) not in (None, *fields):
            return "validation_error"
        if m["entity"] == "breaks":
            merged = {**({} if current == "missing" else current), **fields}
            started_now = current == "missing" and "started_at" not in fields or (
                key in self.started_now)
            if merged.get("ended_at") is not None and started_now:
                return "validation_error"  # a break cannot end before it starts
            if merged.get("ended_at") is None and any(
                    k != key and k[0] == "breaks" and r is not TOMBSTONE
                    and r.get("ended_at") is None for k, r in self.records.items()):
                return "conflict"  # a second active break
        return None

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
