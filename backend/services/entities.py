"""The sync entities: model, schema and list order of each (SPEC §4)."""
from dataclasses import dataclass

from marshmallow import Schema

from ..models import Application, Break, Checkin, Contact, Nudge, Outreach, Rejection
from ..schemas import records as s


@dataclass(frozen=True)
class Entity:
    name: str
    model: type
    schema: Schema           # the record as sent to clients; loads REST POST bodies
    fields_schema: Schema    # the writable fields, without id (REST PATCH, sync fields)
    newest_first: tuple      # list order of GET /api/<entity>
    client_creates: bool = True

    @property
    def writable(self):
        return [name for name, field in self.fields_schema.fields.items() if not field.dump_only]


def _entity(name, model, schema_cls, *order, client_creates=True):
    return Entity(name, model, schema_cls(), schema_cls(exclude=("id",)),
                  tuple(order) + (model.created_at.desc(), model.id.desc()), client_creates)


ENTITIES = {e.name: e for e in [
    _entity("applications", Application, s.ApplicationSchema, Application.applied_on.desc()),
    _entity("rejections", Rejection, s.RejectionSchema, Rejection.received_on.desc()),
    _entity("breaks", Break, s.BreakSchema, Break.started_at.desc()),
    _entity("contacts", Contact, s.ContactSchema),
    _entity("checkins", Checkin, s.CheckinSchema, Checkin.at.desc()),
    _entity("outreach", Outreach, s.OutreachSchema, Outreach.at.desc()),
    _entity("nudges", Nudge, s.NudgeSchema, Nudge.due_at.desc(), client_creates=False),
]}

NUDGE_MARKS = s.NudgeMarkSchema()
