"""Sample records for the tests: what a client would send, and what the server writes.

Client-written records go through the API (`make_record`), so they get every rule a
real write gets; nudges are written by the server only, so `make_nudge` puts one
straight into the table, as reconcile would.
"""
import base64
import uuid
from datetime import date, timedelta

from cryptography.hazmat.primitives.asymmetric import ec

from backend.extensions import db
from backend.models import Nudge, utcnow
from backend.versions import bump_version

# A valid new record of each client-written entity; outreach gets its contact_id added.
SAMPLES = {
    "applications": {"company": "Acme", "role": "Designer", "url": "https://acme.example/jobs/1"},
    "rejections": {"company": "Acme", "stage": "interview", "mood": 2,
                   "emotions": ["sad", "numb"]},
    # a few days ahead in every time zone: a break cannot be planned to end before it starts
    "breaks": {"planned_end_on": (date.today() + timedelta(days=3)).isoformat(), "activities": ["walk", "sleep"], "mood_before": 2},
    "contacts": {"name": "Sam", "relationship": "friend", "channel": "sms",
                 "handle": "+44 7700 900123"},
    "checkins": {"mood": 4, "emotions": ["hopeful"]},
    "outreach": {"channel": "phone", "note": "Talked for an hour", "mood_after": 4},
}
# One field edit per entity for PATCH.
EDITS = {
    "applications": {"status": "interviewing"},
    "rejections": {"lessons": "Prepare a portfolio story."},
    "breaks": {"mood_after": 4},
    "contacts": {"check_in_every_days": 14},
    "checkins": {"note": "Better after a walk"},
    "outreach": {"note": "Short call"},
}


def make_record(client, entity, **extra):
    """POST a sample `entity` (with `extra` fields on top) as `client`; returns its JSON.

    An outreach without a contact_id gets a new contact of the same client."""
    body = {**SAMPLES[entity], **extra}
    if entity == "outreach" and "contact_id" not in body:
        body["contact_id"] = make_record(client, "contacts")["id"]
    response = client.post(f"/api/{entity}", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def make_nudge(app, user_id, **fields):
    """Put a nudge of `user_id` straight into the table, as reconcile would; returns its id.

    By default a scheduled `apply` nudge, due now, at the user's next version; `fields`
    set any other column. Each nudge gets a dedupe key of its own unless one is given
    (the database holds one row per user and key).
    """
    user_id = uuid.UUID(str(user_id))
    kind = fields.pop("kind", "apply")
    with app.app_context():
        row = Nudge(**{"user_id": user_id, "version": bump_version(user_id), "kind": kind,
                       "title": "Ready for one more?", "body": "One more application, no rush.",
                       "url": "/applications", "due_at": utcnow(), "status": "scheduled",
                       "dedupe_key": f"{kind}:{uuid.uuid4()}", "attempts": 0, **fields})
        db.session.add(row)
        db.session.commit()
        return row.id


def vapid_private_key():
    """A new VAPID private key, as VAPID_PRIVATE_KEY takes it (the raw P-256 number, base64url)."""
    private = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(private.to_bytes(32, "big")).rstrip(b"=").decode()


def mutation(entity="rejections", op="upsert", record_id=None, fields=None, mutation_id=None):
    """A sync mutation with fresh ids unless given."""
    item = {"mutation_id": str(mutation_id or uuid.uuid4()), "entity": entity, "op": op,
            "id": str(record_id or uuid.uuid4())}
    if fields is not None:
        item["fields"] = fields
    return item
