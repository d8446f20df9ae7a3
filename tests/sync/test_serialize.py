"""The fast serializer of pulled records equals the entity schema's dump, for every entity."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from marshmallow import fields
from sqlalchemy import select

from backend.extensions import db
from backend.services.entities import ENTITIES
from backend.sync.serialize import RecordSerializer, converter_for
from tests.factories import make_nudge, mutation

from .helpers import sync

FULL = {
    "applications": {"company": "Acme ✓", "role": "Engineer", "url": "https://acme.example/jobs/1",
                     "source": "friend", "applied_on": "2026-01-31", "status": "interviewing",
                     "notes": "línea\nnext"},
    "rejections": {"company": "Globex", "role": "PM", "stage": "final_round",
                   "received_on": "2026-02-03", "mood": 2, "emotions": ["sad", "numb"],
                   "feelings": "meh", "feedback_status": "requested", "feedback": "f",
                   "contact_email": "sam.recruiter@globex.example",
                   "went_well": "w", "do_differently": "d", "lessons": "l",
                   "thinking_traps": ["catastrophizing"], "reframe": "r"},
    "breaks": {"started_at": "2026-02-01T08:30:00.123456+02:00", "planned_end_on": "2026-02-04",
               "ended_at": "2026-02-02T09:00:00Z", "activities": ["walk", "sleep"],
               "note": "n", "mood_before": 2, "mood_after": 4},
    "contacts": {"name": "Ana", "relationship": "friend", "channel": "sms",
                 "handle": "+44 20 7946 0958", "check_in_every_days": 14, "notes": "n"},
    "checkins": {"at": "2026-02-05T23:59:59-05:00", "mood": 5, "emotions": [], "note": None},
}
MINIMAL = {"applications": {"company": "A"}, "rejections": {"company": "R"}, "breaks": {},
           "contacts": {"name": "C"}, "checkins": {"mood": 1}}


def test_fast_serializer_equals_schema_dump_for_every_entity(app, signed_in):
    contact = uuid.uuid4()
    items = [mutation("contacts", record_id=contact, fields={"name": "For outreach"})]
    for entity in FULL:
        items.append(mutation(entity, fields=FULL[entity]))
        items.append(mutation(entity, fields=MINIMAL[entity]))
    items.append(mutation("outreach", fields={"contact_id": str(contact), "channel": "phone",
                                               "note": "called", "mood_after": 4,
                                               "at": "2026-02-06T10:00:00Z"}))
    items.append(mutation("outreach", fields={"contact_id": str(contact)}))
    answer = sync(signed_in, items)
    assert answer["rejected"] == [r for r in answer["rejected"]
                                  if r["error"]["code"] == "conflict"]  # second active break
    make_nudge(app, signed_in.user["id"])
    make_nudge(app, signed_in.user["id"], sent_at=datetime(2026, 2, 7, 9, 0, tzinfo=timezone.utc),
               read_at=datetime.now(timezone.utc), dismissed_at=datetime.now(timezone.utc),
               lease_until=datetime.now(timezone.utc) + timedelta(minutes=2), attempts=3)

    compared = set()
    with app.app_context():
        for name, ent in ENTITIES.items():
            serializer = RecordSerializer(ent)
            rows = db.session.execute(select(ent.model)).scalars().all()
            tuples = db.session.execute(select(*serializer.columns)).all()
            by_id = {str(t[serializer.names.index("id")]): t for t in tuples}
            for row in rows:
                assert serializer.data(by_id[str(row.id)]) == ent.schema.dump(row), name
                compared.add(name)
    assert compared == set(ENTITIES)


def test_pulled_data_equals_the_rest_representation(signed_in):
    items = [mutation(entity, fields=FULL[entity]) for entity in FULL]
    changes = sync(signed_in, items)["changes"]
    for change in changes:
        rest = signed_in.get(f"/api/{change['entity']}/{change['id']}").get_json()
        assert change["data"] == rest


def test_fast_serializer_refuses_a_field_type_it_does_not_know():
    with pytest.raises(TypeError):
        converter_for(fields.Decimal())
