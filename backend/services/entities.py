"""The sync entities, declared: everything the generic write service needs to know.

Each `Entity` says what its model and schemas are, how its list is ordered,
which defaults a new record gets, which fields the server derives, which
cross-field checks hold, which fields point at other records, and what a
write does to a linked record. `services/records.py` reads these and has no
per-entity branches; adding an entity is a declaration here (docs/entities.md).
"""
from dataclasses import dataclass, field
from typing import Callable

from marshmallow import Schema

from ..models import Application, Break, Checkin, Contact, Nudge, Outreach, Rejection
from ..schemas import records as s
from . import nudge_marks, rules


def _no_defaults(today, now):
    return {}


@dataclass(frozen=True)
class OneOpen:
    """At most one live record of the user may have `field` null (one active break)."""
    field: str
    message: str


@dataclass(frozen=True)
class Most:
    """At most `count` live records per user: bounds what one account can cost."""
    count: int
    message: str


@dataclass(frozen=True)
class Link:
    """When a write sets or changes `field`, the record it points at gets `values`."""
    field: str
    entity: str
    values: dict


@dataclass(frozen=True)
class Entity:
    name: str
    label: str               # one record, in words ("application")
    model: type
    schema: Schema           # the record as sent to clients; loads REST POST bodies
    fields_schema: Schema    # the writable fields, without id (REST PATCH, sync fields)
    newest_first: tuple      # list order of GET /api/<entity>
    defaults: Callable = _no_defaults     # (today, now) -> values a new record starts with
    derive: tuple = (rules.empty_lists,)  # (old, merged, today) -> merged, in order
    checks: tuple = ()                    # (merged, zone) -> {field: [messages]}
    references: dict = field(default_factory=dict)  # field -> entity it points at
    server_fields: tuple = ()             # columns the server keeps (derived, not writable)
    one_open: OneOpen | None = None
    most: Most | None = None
    links: tuple = ()
    marks: Callable | None = None  # a server-written entity: the service for a client's marks

    @property
    def client_writes(self):
        return self.marks is None

    @property
    def writable(self):
        return [name for name, f in self.fields_schema.fields.items() if not f.dump_only]

    @property
    def columns(self):
        """What a write compares and merges: the writable fields and the server's own."""
        return self.writable + list(self.server_fields)


def _entity(name, label, model, schema_cls, order=(), **options):
    return Entity(name, label, model, schema_cls(), schema_cls(exclude=("id",)),
                  tuple(order) + (model.created_at.desc(), model.id.desc()), **options)


ENTITIES = {e.name: e for e in [
    _entity("applications", "application", Application, s.ApplicationSchema,
            [Application.applied_on.desc()],
            defaults=rules.application_defaults,
            derive=(rules.empty_lists, rules.application_status_changed_on),
            server_fields=("status_changed_on",)),
    _entity("rejections", "rejection", Rejection, s.RejectionSchema,
            [Rejection.received_on.desc()],
            defaults=rules.rejection_defaults,
            derive=(rules.empty_lists, rules.rejection_feedback_requested_on),
            checks=(rules.feedback_asked_after_the_rejection,),
            references={"application_id": "applications"},
            # Logging a rejection for an application closes that application as rejected.
            links=(Link("application_id", "applications", {"status": "rejected"}),)),
    _entity("breaks", "break", Break, s.BreakSchema, [Break.started_at.desc()],
            defaults=rules.break_defaults,
            checks=(rules.break_ends_after_start,),
            one_open=OneOpen("ended_at",
                             "A break is already active. End it before starting another.")),
    _entity("contacts", "contact", Contact, s.ContactSchema,
            checks=(rules.contact_handle_fits_channel,),
            # The support rule plans one check-in per contact on every write.
            most=Most(500, "That is 500 people already, the most Rebound keeps. "
                           "Remove someone to add another.")),
    _entity("checkins", "check-in", Checkin, s.CheckinSchema, [Checkin.at.desc()],
            defaults=rules.checkin_defaults),
    _entity("outreach", "outreach", Outreach, s.OutreachSchema, [Outreach.at.desc()],
            defaults=rules.outreach_defaults,
            references={"contact_id": "contacts"}),
    _entity("nudges", "nudge", Nudge, s.NudgeSchema, [Nudge.due_at.desc()],
            marks=nudge_marks.upsert),
]}
