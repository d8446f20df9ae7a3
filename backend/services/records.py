"""The one write service: every change of a user's record goes through here.

Each write validates the merged record, enforces ownership, and takes the
record's new version from the user's counter row in the same transaction
(SPEC §5). REST views and the sync endpoint both call these functions; the
caller commits.
"""
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, select, update as sql_update

from ..errors import Conflict, Forbidden, Gone, Invalid, NotFound
from ..extensions import db
from ..models import Application, Break, Contact, VersionCounter, utcnow
from . import rules
from .entities import ENTITIES, NUDGE_MARKS


def entity(name):
    try:
        return ENTITIES[name]
    except KeyError:
        raise NotFound(f"Unknown entity {name!r}.") from None


def bump_version(user_id):
    """Take the user's next version; locks their counter row until commit."""
    return db.session.execute(
        sql_update(VersionCounter).where(VersionCounter.user_id == user_id)
        .values(seq=VersionCounter.seq + 1).returning(VersionCounter.seq)).scalar_one()


def get_owned(model, user_id, record_id, live=True):
    """The user's record, or NotFound (also for another user's record)."""
    row = db.session.execute(
        select(model).where(model.id == record_id, model.user_id == user_id)).scalar_one_or_none()
    if row is None:
        raise NotFound()
    if live and row.deleted_at is not None:
        raise Gone()
    return row


def load(name, raw, partial):
    """Validate client fields with the entity's schema (raises marshmallow.ValidationError)."""
    return entity(name).fields_schema.load(raw, partial=partial)


def create(user, name, values, record_id=None):
    ent = entity(name)
    if not ent.client_creates:
        raise Forbidden("Nudges are written by the server.")
    record_id = record_id or uuid.uuid4()
    if db.session.get(ent.model, record_id) is not None:
        raise Conflict("This id is already used.")
    version = bump_version(user.id)
    today, now = _today(user), utcnow()
    record = {**rules.defaults(name, today, now), **values}
    record = rules.derive(name, None, record, today)
    _check(user, name, record, record_id)
    row = ent.model(id=record_id, user_id=user.id, version=version, created_at=now,
                    updated_at=now, **record)
    db.session.add(row)
    db.session.flush()
    _after_write(user, name, None, record)
    return row


def update(user, name, record_id, values):
    ent = entity(name)
    if name == "nudges":
        return mark_nudge(user, record_id, values)
    row = get_owned(ent.model, user.id, record_id)
    old = {field: getattr(row, field) for field in _columns(ent)}
    record = rules.derive(name, old, {**old, **values}, _today(user))
    changed = {k: v for k, v in record.items() if old.get(k) != v}
    if not changed:
        return row
    version = bump_version(user.id)
    _check(user, name, record, row.id, old)
    for field, value in changed.items():
        setattr(row, field, value)
    row.version, row.updated_at = version, utcnow()
    db.session.flush()
    _after_write(user, name, old, record)
    return row


def delete(user, name, record_id, twice_ok=True):
    """Leave a tombstone. Deleting twice changes nothing: fine for sync (two devices may
    delete one record), 404 over REST (`twice_ok=False`), where the record is gone."""
    ent = entity(name)
    if not ent.client_creates:
        raise Forbidden("Nudges cannot be deleted; dismiss them instead.")
    row = get_owned(ent.model, user.id, record_id, live=not twice_ok)
    if row.deleted_at is not None:
        return row
    row.version = bump_version(user.id)
    row.deleted_at = row.updated_at = utcnow()
    _scrub(ent, row)
    db.session.flush()
    _after_write(user, name, None, {})
    return row


def _scrub(ent, row):
    """A tombstone keeps only what sync needs: the user's words are gone with it."""
    for name in ent.writable:
        column = ent.model.__table__.columns[name]
        if name in rules.LIST_FIELDS:
            setattr(row, name, [])
        elif isinstance(column.type, String) and column.nullable:
            setattr(row, name, None)
        elif isinstance(column.type, String):
            setattr(row, name, "")


def upsert(user, name, record_id, raw_fields):
    """Sync's upsert: create the record with this id, or merge the given fields into it."""
    ent = entity(name)
    if name == "nudges":
        return mark_nudge(user, record_id, _load_marks(raw_fields))
    existing = db.session.get(ent.model, record_id)
    if existing is None:
        return create(user, name, load(name, raw_fields, partial=False), record_id)
    if existing.user_id != user.id:
        raise NotFound()
    if existing.deleted_at is not None:
        raise Gone("This record was deleted.")
    return update(user, name, record_id, load(name, raw_fields, partial=True))


def mark_nudge(user, record_id, marks):
    """The only nudge writes a client may make: read, dismissed, snooze_days."""
    row = get_owned(ENTITIES["nudges"].model, user.id, record_id)
    now = utcnow()
    if marks.get("read") and row.read_at is None:
        row.read_at = now
    if marks.get("dismissed") and row.dismissed_at is None:
        row.dismissed_at = now
    if marks.get("snooze_days"):
        row.due_at = max(row.due_at, now) + timedelta(days=marks["snooze_days"])
        row.status = "scheduled"
    if db.session.is_modified(row):
        row.version, row.updated_at = bump_version(user.id), now
        db.session.flush()
    return row


def _load_marks(raw):
    if isinstance(raw, dict):
        refused = sorted(set(raw) - set(NUDGE_MARKS.fields))
        if refused:
            raise Forbidden("A client may only mark a nudge read, dismissed or snoozed.",
                            fields={field: ["Written by the server."] for field in refused})
    return NUDGE_MARKS.load(raw)


def _columns(ent):
    return [field for field in ent.writable] + (
        ["status_changed_on"] if ent.name == "applications" else [])


def _check(user, name, record, record_id, old=None):
    """Cross-field rules, references to the user's other records, one active break.

    A reference is checked when it is set or changed: deleting a contact or an application
    must not freeze the outreach or rejections that already point at it."""
    errors = rules.check(name, record)

    def newly_set(field):
        return old is None or old.get(field) != record.get(field)

    if name == "rejections" and record.get("application_id") and newly_set("application_id"):
        if not _live(Application, user.id, record["application_id"]):
            errors["application_id"] = ["No such application."]
    if name == "outreach" and newly_set("contact_id") and not _live(Contact, user.id,
                                                                     record["contact_id"]):
        errors["contact_id"] = ["No such contact."]
    if errors:
        raise Invalid(fields=errors)
    if name == "breaks" and record.get("ended_at") is None:
        active = db.session.execute(
            select(Break.id).where(Break.user_id == user.id, Break.ended_at.is_(None),
                                   Break.deleted_at.is_(None), Break.id != record_id)).first()
        if active:
            raise Conflict("A break is already active. End it before starting another.")


def _after_write(user, name, old, record):
    from ..nudges.reconcile import mark  # its plan runs once, when the transaction commits
    mark(user.id)
    # Logging a rejection for an application closes that application as rejected.
    if name == "rejections" and record.get("application_id"):
        linked_now = old is None or old.get("application_id") != record["application_id"]
        application = db.session.get(Application, record["application_id"])
        if linked_now and application.status != "rejected":
            update(user, "applications", application.id, {"status": "rejected"})


def _live(model, user_id, record_id):
    return db.session.execute(
        select(model.id).where(model.id == record_id, model.user_id == user_id,
                               model.deleted_at.is_(None))).first() is not None


def _today(user):
    return datetime.now(ZoneInfo(user.timezone or "UTC")).date()

