"""Pages of a user's live records, newest first (GET /api/<entity>), cheaply.

A list is the hottest read of the API, so it:
- selects only the columns the entity schema sends, through a statement built once
  per entity, and turns each row into the schema's dict with the fast serializer
  (schemas/serialize.py; a test holds it equal to the schema's dump);
- reads the page along the entity's list-order index (migration 0006), so page 1
  costs the same on an account of 100 records or 50,000;
- counts the records for the `X-Pagination` header only when the page cannot tell:
  a page that is not full ends the list (total = offset + rows); a full or empty
  page takes the count from a cache keyed by the user's version, which every write
  of theirs bumps (SPEC §5), so a cached count is exact until their next write.
  The version comes with the page, in the same statement (one round trip less).
"""
from sqlalchemy import bindparam, func, select

from ..extensions import db
from ..models import VersionCounter
from ..schemas.serialize import RecordSerializer
from ..versions import current_version
from .entities import ENTITIES

MAX_OFFSET = 2**31  # past any account (and far from an offset a database refuses)
COUNTS_KEPT = 10_000  # (entity, user, version) -> count, per process: about 2 MB at most
_counts = {}


class _List:
    """One entity's page and count statements, built once (building one costs more
    than running it)."""

    def __init__(self, ent):
        model = ent.model
        self.serializer = RecordSerializer(ent)
        mine = (model.user_id == bindparam("user_id"), model.deleted_at.is_(None))
        # The user's version rides along as a last column (the serializer reads only
        # its own columns): the count's cache key, read in the page's snapshot.
        version = (select(VersionCounter.seq)
                   .where(VersionCounter.user_id == bindparam("user_id")).scalar_subquery())
        self.page = (select(*self.serializer.columns, version).where(*mine)
                     .order_by(*ent.newest_first)
                     .offset(bindparam("offset")).limit(bindparam("limit")))
        self.count = select(func.count()).select_from(model).where(*mine)


LISTS = {name: _List(ent) for name, ent in ENTITIES.items()}


def page(name, user_id, offset, size):
    """(the records at `offset`, at most `size`, as the entity schema dumps them;
    how many live records the user has)."""
    found = LISTS[name]
    connection = db.session.connection()
    rows = [] if offset > MAX_OFFSET else connection.execute(
        found.page, {"user_id": user_id, "offset": offset, "limit": size}).all()
    data = found.serializer.data
    records = [data(row) for row in rows]
    if rows and len(rows) < size or not rows and offset == 0:
        return records, offset + len(rows)
    version = rows[0][-1] if rows else current_version(user_id)
    return records, _count(connection, name, found, user_id, version)


def _count(connection, name, found, user_id, version):
    # The version is read before the count: a write committing in between can then
    # only make the cached count newer than its key, never older.
    key = (name, user_id, version)
    total = _counts.get(key)
    if total is None:
        total = connection.execute(found.count, {"user_id": user_id}).scalar_one()
        if len(_counts) >= COUNTS_KEPT:
            _counts.pop(next(iter(_counts)))  # the oldest entry
        _counts[key] = total
    return total
