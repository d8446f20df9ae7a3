"""The sync service: apply a request's mutations in order, then pull (SPEC §5).

Writes go through services.records, the one write service REST uses too, so
both bump versions the same way. The caller gets plain dicts back and commits:
one sync call is one unit of work.
"""
from datetime import timedelta

from sqlalchemy import (bindparam, delete as sql_delete, literal, select, union_all,
                        update as sql_update)

from ..exceptions import Invalid
from ..extensions import db
from ..models import AppliedMutation, VersionCounter, utcnow
from ..schemas.serialize import RecordSerializer
from ..services import records
from ..services.entities import ENTITIES
from .protocol import check_mutation, error_of, order_changes, plan_page

KEEP_APPLIED = timedelta(days=30)
SERIALIZERS = {name: RecordSerializer(ent) for name, ent in ENTITIES.items()}


def sync(user, cursor, limit, mutations):
    """One sync exchange for `user`; returns the response body as a dict.

    Raises exceptions.Invalid (422, nothing applied) for a cursor beyond the
    user's version; nothing is written before that check.
    """
    current = _lock_counter(user.id) if mutations else _read_counter(user.id)
    if cursor is not None and cursor > current:
        raise Invalid(fields={"cursor": [
            f"Must be at most your current version, {current}; "
            "start again from a null cursor."]})
    applied, rejected = apply_mutations(user, mutations)
    upper = _read_counter(user.id) if mutations else current
    changes, next_cursor, has_more = pull(user.id, cursor or 0, limit, upper)
    return {"applied": applied, "rejected": rejected, "changes": changes,
            "cursor": next_cursor, "has_more": has_more}


def apply_mutations(user, mutations):
    """Apply each mutation in order; a refused one is reported and skipped."""
    if not mutations:
        return [], []
    _forget_old_mutations(user.id)
    done = _applied_ids(user.id, {m["mutation_id"] for m in mutations})
    applied, rejected = [], []
    for item in mutations:
        mutation_id = item["mutation_id"]
        if mutation_id not in done:
            error = _apply_one(user, item)
            if error is not None:
                rejected.append({"mutation_id": str(mutation_id), "error": error.as_dict()})
                continue
            db.session.add(AppliedMutation(user_id=user.id, mutation_id=mutation_id))
            done.add(mutation_id)
        applied.append(str(mutation_id))
    db.session.flush()
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


def pull(user_id, cursor, limit, upper):
    """Changes with versions in (cursor, upper], each record once, oldest first.

    `upper` is the user's counter value read before these queries: every
    version up to it has committed (the counter row is locked from bump to
    commit), so nothing at or below the next cursor can still appear later.

    One probe over every entity finds the page's versions; then only the
    entities on the page are read, each over the range of versions it has there.
    (A record changed between the two reads now has a version above `upper`:
    it drops out of this page and comes with the next pull.)
    """
    if upper <= cursor:
        return [], cursor, False
    connection = db.session.connection()
    found = connection.execute(PROBE, {"user_id": user_id, "cursor": cursor, "upper": upper,
                                       "limit": limit + 1}).all()
    ranges, next_cursor, has_more = plan_page([tuple(row) for row in found], limit, upper)
    changes = order_changes(_pull_entity(connection, NAMES[index], user_id, low, high)
                            for index, (low, high) in ranges.items())
    return changes, next_cursor, has_more


def _pull_entity(connection, name, user_id, low, high):
    serializer = SERIALIZERS[name]
    # .all(): one fetchall, not a fetchone per row.
    rows = connection.execute(PULLS[name], {"user_id": user_id, "low": low, "high": high}).all()
    id_at, version_at = 1 + serializer.names.index("id"), 1 + serializer.version_index
    return [{"entity": name, "id": str(row[id_at]), "version": row[version_at],
             "deleted": row[0] is not None,
             "data": None if row[0] is not None else serializer.data(row[1:])}
            for row in rows]


# Statements built once: building one costs more than running it on a short
# index range of (user_id, version).

NAMES = list(ENTITIES)


def _probe_statement():
    parts = [select(literal(index).label("entity"), model.version.label("version"))
             .where(model.user_id == bindparam("user_id"), model.version > bindparam("cursor"),
                    model.version <= bindparam("upper"))
             for index, model in enumerate(ENTITIES[name].model for name in NAMES)]
    found = union_all(*parts).subquery()
    return (select(found.c.entity, found.c.version).order_by(found.c.version)
            .limit(bindparam("limit")))


def _pull_statement(name, serializer):
    model = ENTITIES[name].model
    return (select(model.deleted_at, *serializer.columns)
            .where(model.user_id == bindparam("user_id"), model.version >= bindparam("low"),
                   model.version <= bindparam("high"))
            .order_by(model.version))


PROBE = _probe_statement()
PULLS = {name: _pull_statement(name, serializer) for name, serializer in SERIALIZERS.items()}


def _read_counter(user_id):
    return db.session.execute(
        select(VersionCounter.seq).where(VersionCounter.user_id == user_id)).scalar_one()


def _lock_counter(user_id):
    """The user's version, with their counter row locked until commit.

    A no-op UPDATE takes the row lock on PostgreSQL and the write lock on
    SQLite, so two requests of one user apply their mutations one after the
    other and a retried mutation id is seen as applied, never applied twice.
    """
    return db.session.execute(
        sql_update(VersionCounter).where(VersionCounter.user_id == user_id)
        .values(seq=VersionCounter.seq).returning(VersionCounter.seq)).scalar_one()


def _applied_ids(user_id, mutation_ids):
    return set(db.session.execute(
        select(AppliedMutation.mutation_id).where(AppliedMutation.user_id == user_id,
                                                  AppliedMutation.mutation_id.in_(mutation_ids))
    ).scalars())


def _forget_old_mutations(user_id):
    """Applied mutation ids are kept 30 days (SPEC §5)."""
    db.session.execute(
        sql_delete(AppliedMutation).where(AppliedMutation.user_id == user_id,
                                          AppliedMutation.applied_at < utcnow() - KEEP_APPLIED))
