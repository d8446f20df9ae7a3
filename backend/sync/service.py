"""The sync service: apply a request's mutations in order, then pull (SPEC §5).

Writes go through services.records, the one write service REST uses too, so
both bump versions the same way. The caller gets plain dicts back and commits
the writes (one unit of work) before it pulls, so a page is read outside the lock.
"""
import uuid
from datetime import timedelta

from sqlalchemy import (String, bindparam, delete as sql_delete, insert, literal, select, true,
                        type_coerce, union_all)

from ..exceptions import Invalid
from ..extensions import db
from ..models import AppliedMutation, VersionCounter, utcnow
from ..schemas.serialize import RecordSerializer
from ..services import records
from ..services.entities import ENTITIES
from ..versions import MAX_VERSION, lock_version
from .protocol import check_mutation, error_of, order_changes, plan_page

KEEP_APPLIED = timedelta(days=30)
SERIALIZERS = {name: RecordSerializer(ent) for name, ent in ENTITIES.items()}


def push(user, cursor, mutations):
    """The first half of a sync exchange: apply `mutations` in order; returns
    (applied, rejected). The caller commits, then pulls (`pull_since`): the user's
    counter stays locked only while the writes are made, not while a page is read.

    Raises exceptions.Invalid (422, nothing applied) for a cursor beyond the
    user's version; nothing is written before that check.
    """
    if not mutations:
        return [], []
    # Locked first: two requests of one user apply their mutations one after the other,
    # and a retried mutation id is seen as applied, never applied twice.
    _check_cursor(cursor, lock_version(user.id))
    return apply_mutations(user, mutations)


def pull_since(user_id, cursor, limit):
    """The second half: the response's changes, cursor and has_more, read from what has
    committed (the writes of this request, and the nudges their re-plan made, too)."""
    connection = db.session.connection()
    # A cursor past any 32-bit version is past the user's, too: probe with the largest
    # one (PostgreSQL refuses a bigger integer parameter) and let the check say so.
    rows = connection.execute(PROBE, {"user_id": user_id, "cursor": min(cursor or 0, MAX_VERSION),
                                      "limit": limit + 1}).all()
    upper = rows[0][0]
    _check_cursor(cursor, upper)
    found = [row[1:] for row in rows if row[1] is not None]
    changes, next_cursor, has_more = pull(connection, user_id, cursor or 0, limit, upper, found)
    return {"changes": changes, "cursor": next_cursor, "has_more": has_more}


def _check_cursor(cursor, current):
    if cursor is not None and cursor > current:
        raise Invalid(fields={"cursor": [
            f"Must be at most your current version, {current}; "
            "start again from a null cursor."]})


def apply_mutations(user, mutations):
    """Apply each mutation in order; a refused one is reported and skipped."""
    if not mutations:
        return [], []
    _forget_old_mutations(user.id)
    done = _applied_ids(user.id, {m["mutation_id"] for m in mutations})
    applied, rejected, new = [], [], []
    for item in mutations:
        mutation_id = item["mutation_id"]
        if mutation_id not in done:
            error = _apply_one(user, item)
            if error is not None:
                rejected.append({"mutation_id": str(mutation_id), "error": error.as_dict()})
                continue
            new.append(mutation_id)
            done.add(mutation_id)
        applied.append(str(mutation_id))
    db.session.flush()
    _remember(user.id, new)
    return applied, rejected


def _apply_one(user, item):
    # The write service checks everything a mutation needs before it writes any
    # of it (only the counter bump comes first, which leaves a harmless gap).
    try:
        mutation = check_mutation(item, ENTITIES)
        if mutation.op == "upsert":
            records.upsert(user, mutation.entity, mutation.id, mutation.fields)
        else:
            records.delete(user, mutation.entity, mutation.id)
    except Exception as exc:
        error = error_of(exc)
        if error is None:
            raise
        return error
    return None


def pull(connection, user_id, cursor, limit, upper, found):
    """Changes with versions in (cursor, upper], each record once, oldest first.

    `upper` is the user's counter value and `found` the probe's rows (entity,
    version, raw id, stored_at, gone), read in one statement (PROBE), so in one
    snapshot: every version up to `upper` has committed there (the counter row is
    locked from bump to commit), and nothing at or below the next cursor can
    still appear later.

    The probe over every entity finds the page's versions; then only the
    entities on the page are read, each over the range of versions it has there.
    (A record changed between the two reads now has a version above `upper`:
    it drops out of this page and comes with the next pull.)
    """
    if upper <= cursor:
        return [], cursor, False
    ranges, next_cursor, has_more = plan_page([(row[0], row[1]) for row in found], limit,
                                              upper)
    heads = {}
    for index, version, raw_id, stored_at, gone in found[:limit]:
        heads.setdefault(index, []).append((raw_id, stored_at, version, gone))
    changes = order_changes(_pull_entity(connection, NAMES[index], user_id, low, high,
                                         heads[index])
                            for index, (low, high) in ranges.items())
    return changes, next_cursor, has_more


def _pull_entity(connection, name, user_id, low, high, heads):
    """The entity's changes over (user_id, low..high), whose (id, updated_at, version,
    deleted) the probe read: from this process's recent changes when every live one is
    kept, else from the full rows."""
    params = {"user_id": user_id, "low": low, "high": high}
    found = [RECENT.get((name, *head)) for head in heads]
    if all(change is not None for change, (_, _, _, gone) in zip(found, heads) if not gone):
        return [change if change is not None else _tombstone(name, head)
                for change, head in zip(found, heads)]
    serializer = SERIALIZERS[name]
    # .all(): one fetchall, not a fetchone per row.
    rows = connection.execute(PULLS[name], params).all()
    id_at, version_at = 1 + serializer.names.index("id"), 1 + serializer.version_index
    changes = [{"entity": name, "id": str(row[id_at]), "version": row[version_at],
                "deleted": row[0] is not None,
                "data": None if row[0] is not None else serializer.data(row[1:])}
               for row in rows]
    if len(heads) == len(changes):  # the same rows (no write slipped in between): keep them
        for head, change in zip(heads, changes):
            if change["version"] == head[2] and not change["deleted"]:
                RECENT.put((name, *head), change)
    return changes


def _tombstone(name, head):
    raw_id, _, version, _ = head
    record_id = raw_id if isinstance(raw_id, uuid.UUID) else uuid.UUID(hex=raw_id)
    return {"entity": name, "id": str(record_id), "version": version, "deleted": True,
            "data": None}


class RecentChanges:
    """The last `size` live changes pulled in this process, as sent, by what identifies a
    record's state: its id as stored, `updated_at` as stored, its version, and whether it
    is deleted. A version is never reused for other content (and `updated_at` tells a
    restored database's reused version apart), so an entry cannot go stale; another
    device's pull, or the same device's next one, is then a light read. Oldest out first.
    The cached dicts are shared: nothing may change them after they are made."""

    def __init__(self, size):
        self.size = size
        self.entries = {}

    def get(self, key):
        return self.entries.get(key)

    def put(self, key, change):
        if key not in self.entries and len(self.entries) >= self.size:
            self.entries.pop(next(iter(self.entries), None), None)
        self.entries[key] = change


RECENT = RecentChanges(5_000)


# Statements built once: building one costs more than running it on a short
# index range of (user_id, version).

NAMES = list(ENTITIES)


def _probe_statement():
    # The user's version (`upper`), and each change's entity and version up to it, and
    # what identifies its state (its id and updated_at as the driver gives them,
    # unconverted, and whether it is deleted): the key of the recent changes, so a kept
    # change needs no second read. One statement, one snapshot: the counter's row
    # comes once, joined to the page's rows or to none.
    counters = VersionCounter.__table__
    upper = (select(counters.c.seq).where(counters.c.user_id == bindparam("user_id"))
             .scalar_subquery())
    parts = [select(literal(index).label("entity"), model.version.label("version"),
                    type_coerce(model.id, String).label("raw_id"),
                    type_coerce(model.updated_at, String).label("stored_at"),
                    model.deleted_at.is_not(None).label("gone"))
             .where(model.user_id == bindparam("user_id"), model.version > bindparam("cursor"),
                    model.version <= upper)
             for index, model in enumerate(ENTITIES[name].model for name in NAMES)]
    found = union_all(*parts).subquery()
    page = (select(found.c.entity, found.c.version, found.c.raw_id, found.c.stored_at,
                   found.c.gone).order_by(found.c.version).limit(bindparam("limit"))
            .subquery())
    return (select(counters.c.seq, page.c.entity, page.c.version, page.c.raw_id,
                   page.c.stored_at, page.c.gone)
            .select_from(counters.outerjoin(page, true()))
            .where(counters.c.user_id == bindparam("user_id")).order_by(page.c.version))


def _pull_statement(name, serializer):
    model = ENTITIES[name].model
    return (select(model.deleted_at, *serializer.columns)
            .where(model.user_id == bindparam("user_id"), model.version >= bindparam("low"),
                   model.version <= bindparam("high"))
            .order_by(model.version))


PROBE = _probe_statement()
PULLS = {name: _pull_statement(name, serializer) for name, serializer in SERIALIZERS.items()}


# The applied-mutation statements, on the table, built once too: an ORM statement built
# per call cost ten times its run on every sync.
_APPLIED = AppliedMutation.__table__
_APPLIED_IDS = select(_APPLIED.c.mutation_id).where(
    _APPLIED.c.user_id == bindparam("user_id"),
    _APPLIED.c.mutation_id.in_(bindparam("mutation_ids", expanding=True)))
_FORGET = sql_delete(_APPLIED).where(_APPLIED.c.user_id == bindparam("owner"),
                                     _APPLIED.c.applied_at < bindparam("before"))
_REMEMBER = insert(_APPLIED)


def _applied_ids(user_id, mutation_ids):
    return set(db.session.execute(
        _APPLIED_IDS, {"user_id": user_id, "mutation_ids": list(mutation_ids)}).scalars())


def _remember(user_id, mutation_ids):
    if mutation_ids:
        db.session.execute(_REMEMBER, [{"user_id": user_id, "mutation_id": m}
                                       for m in mutation_ids])


def _forget_old_mutations(user_id):
    """Applied mutation ids are kept 30 days (SPEC §5)."""
    db.session.execute(_FORGET, {"owner": user_id, "before": utcnow() - KEEP_APPLIED})
