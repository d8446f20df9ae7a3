"""The one write service: every change of a user's record goes through here.

Each write validates the merged record, enforces ownership, and takes the
record's new version from the user's counter row in the same transaction
(SPEC §5). REST views and the sync endpoint both call these functions; what
differs between entities is declared in `entities.py`, so nothing here
branches on an entity's name. Services never commit: the caller's unit of
work does (a request, one sync call).
"""
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import String, bindparam, func, select, update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..exceptions import Conflict, Forbidden, Gone, Invalid, NotFound
from ..extensions import db
from ..models import live, utcnow
from ..nudges import reconcile
from ..versions import bump_version, stamp
from . import rules
from .entities import ENTITIES


# One UPDATE per entity by id; the columns it sets are the parameters given.
_UPDATES = {name: sql_update(ent.model.__table__).where(
    ent.model.__table__.c.id == bindparam("row_id")) for name, ent in ENTITIES.items()}


def entity(name):
    try:
        return ENTITIES[name]
    except KeyError:
        raise NotFound(f"Unknown entity {name!r}.") from None


def get_owned(model, user_id, record_id, live=True):
    """The user's record, or NotFound (also for another user's record)."""
    row = db.session.get(model, record_id)
    if row is None or row.user_id != user_id:
        raise NotFound()
    if live and row.deleted_at is not None:
        raise Gone()
    return row


def load(name, raw, partial):
    """Validate client fields with the entity's schema (raises marshmallow.ValidationError)."""
    return entity(name).fields_schema.load(raw, partial=partial)


def create(user, name, values, record_id=None):
    ent = entity(name)
    if not ent.client_writes:
        raise Forbidden(f"{ent.label.capitalize()}s are written by the server.")
    record_id = record_id or uuid.uuid4()
    # Looked up after the bump: the counter row lock orders this user's writes,
    # so a concurrent create of the same id has committed by now (or not begun).
    version = bump_version(user.id)
    if db.session.get(ent.model, record_id) is not None:
        raise Conflict("This id is already used.")
    today, now = _today(user), utcnow()
    record = _derive(ent, None, {**ent.defaults(today, now), **values}, today)
    _check(user, ent, record, record_id)
    _check_room(user, ent)
    row = ent.model(id=record_id, user_id=user.id, version=version, created_at=now,
                    updated_at=now, **record)
    db.session.add(row)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # another user's record holds this id (ids are global), or a race the lock
        # did not order: the same answer as the lookup above
        raise Conflict("This id is already used.") from None
    _after_write(user, ent, None, record)
    return row


def update(user, name, record_id, values):
    ent = entity(name)
    if not ent.client_writes:
        raise Forbidden(f"{ent.label.capitalize()}s are written by the server.")
    row = get_owned(ent.model, user.id, record_id)
    old = {field: getattr(row, field) for field in ent.columns}
    record = _derive(ent, old, {**old, **values}, _today(user))
    changed = {k: v for k, v in record.items() if old.get(k) != v}
    if not changed:
        return row
    version = bump_version(user.id)
    _check(user, ent, record, row.id, old)
    _write_row(ent, row, {**changed, "version": version, "updated_at": utcnow()})
    _after_write(user, ent, old, record)
    return row


def _write_row(ent, row, values):
    """UPDATE the changed columns of `row` and leave the object as if loaded with them:
    one statement, without the unit of work's flush (a third of an edit's cost)."""
    db.session.execute(_UPDATES[ent.name], {"row_id": row.id, **values})
    for field, value in values.items():
        set_committed_value(row, field, value)


def delete(user, name, record_id, twice_ok=True):
    """Leave a tombstone. Deleting twice changes nothing: fine for sync (two devices may
    delete one record), 404 over REST (`twice_ok=False`), where the record is gone."""
    ent = entity(name)
    if not ent.client_writes:
        raise Forbidden(f"{ent.label.capitalize()}s cannot be deleted; dismiss them instead.")
    row = get_owned(ent.model, user.id, record_id, live=not twice_ok)
    if row.deleted_at is not None:
        return row
    stamp(row)
    row.deleted_at = row.updated_at
    _scrub(ent, row)
    db.session.flush()
    _after_write(user, ent, None, {})
    return row


def upsert(user, name, record_id, raw_fields):
    """Sync's upsert: create the record with this id, or merge the given fields into it."""
    ent = entity(name)
    if not ent.client_writes:
        return ent.marks(user, record_id, raw_fields)
    existing = db.session.get(ent.model, record_id)
    if existing is None:
        return create(user, name, load(name, raw_fields, partial=False), record_id)
    if existing.user_id != user.id:
        raise NotFound()
    if existing.deleted_at is not None:
        raise Gone("This record was deleted.")
    return update(user, name, record_id, load(name, raw_fields, partial=True))


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


def _derive(ent, old, record, today):
    for derive in ent.derive:
        record = derive(old, record, today)
    return record


def _check(user, ent, record, record_id, old=None):
    """Cross-field rules, references to the user's other records, one open record.

    A reference is checked when it is set or changed: deleting a contact or an application
    must not freeze the outreach or rejections that already point at it."""
    errors = {}
    zone = ZoneInfo(user.timezone or "UTC")
    for check in ent.checks:
        errors.update(check(record, zone))
    for field, target in ent.references.items():
        value = record.get(field)
        newly_set = old is None or old.get(field) != value
        if value is not None and newly_set and not _is_live(ENTITIES[target], user.id, value):
            errors[field] = [f"No such {ENTITIES[target].label}."]
    if errors:
        raise Invalid(fields=errors)
    if ent.one_open and record.get(ent.one_open.field) is None:
        model = ent.model
        other_open = db.session.execute(
            live(model, user.id, "id").where(getattr(model, ent.one_open.field).is_(None),
                                             model.id != record_id)).first()
        if other_open:
            raise Conflict(ent.one_open.message)


def _check_room(user, ent):
    if ent.most is None:
        return
    count = db.session.execute(
        select(func.count()).select_from(live(ent.model, user.id, "id").subquery())).scalar_one()
    if count >= ent.most.count:
        raise Invalid(ent.most.message, fields={"_schema": [ent.most.message]})


def _after_write(user, ent, old, record):
    # Re-plan at commit (once per transaction), unless the write changed only what no
    # rule reads: a check-in's note, a rejection's feelings.
    if old is None or reconcile.can_change_plan(
            ent.model, [k for k, v in record.items() if old.get(k) != v]):
        reconcile.mark(user.id)
    for link in ent.links:
        target_id = record.get(link.field)
        if not target_id or (old is not None and old.get(link.field) == target_id):
            continue
        target = db.session.get(ENTITIES[link.entity].model, target_id)
        if any(getattr(target, key) != value for key, value in link.values.items()):
            update(user, link.entity, target.id, link.values)


def _is_live(ent, user_id, record_id):
    return db.session.execute(
        live(ent.model, user_id, "id").where(ent.model.id == record_id)).first() is not None


def _today(user):
    return datetime.now(ZoneInfo(user.timezone or "UTC")).date()
