"""Per-user versions (SPEC §5): every change of a synced row takes the next one.

`bump_version` runs `UPDATE version_counters SET seq = seq + 1 ... RETURNING
seq` in the writing transaction, which locks the user's counter row until
commit, so one user's versions commit in order and a pull by cursor never
skips a change. The write service, reconcile and the dispatcher all stamp
rows through here; the dispatcher takes a batch's versions with `lock_counters`
and `bump_versions`, a few statements for the whole batch.

The statements are built once, on the table: building an ORM update per call (and
syncing the session with it) cost ten times what running it does, on every write.
"""
from sqlalchemy import bindparam, select, update

from .extensions import db
from .models import VersionCounter, among, utcnow

_COUNTERS = VersionCounter.__table__
MAX_VERSION = 2**31 - 1  # the counter is a 32-bit integer column
_BUMP = (update(_COUNTERS).where(_COUNTERS.c.user_id == bindparam("owner"))
         .values(seq=_COUNTERS.c.seq + bindparam("step")).returning(_COUNTERS.c.seq))
_CURRENT = select(_COUNTERS.c.seq).where(_COUNTERS.c.user_id == bindparam("owner"))
# A no-op UPDATE: the counter row's lock (PostgreSQL) or the write lock (SQLite).
_LOCK = (update(_COUNTERS).where(_COUNTERS.c.user_id == bindparam("owner"))
         .values(seq=_COUNTERS.c.seq).returning(_COUNTERS.c.seq))


def current_version(user_id):
    """The user's version as this transaction sees it (every version up to it has
    committed, once that transaction has)."""
    return db.session.execute(_CURRENT, {"owner": user_id}).scalar_one()


def lock_version(user_id):
    """The user's version, with their counter row locked until commit (so their writes
    go one after the other), without taking a new one."""
    return db.session.execute(_LOCK, {"owner": user_id}).scalar_one()


def bump_version(user_id):
    """Take the user's next version; locks their counter row until commit."""
    return db.session.execute(_BUMP, {"owner": user_id, "step": 1}).scalar_one()


def stamp(row, now=None):
    """Give a changed row of a synced table its new version and `updated_at`."""
    row.version = bump_version(row.user_id)
    row.updated_at = now or utcnow()
    return row


def lock_counters(user_ids):
    """Begin the writing transaction for these users: their counter rows locked in
    one order (PostgreSQL, so two batches cannot deadlock), or the database's write
    lock taken at once (SQLite's BEGIN IMMEDIATE). Call it first in a transaction."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif user_ids:
        db.session.execute(select(VersionCounter.user_id)
                           .where(among(VersionCounter.user_id, user_ids))
                           .order_by(VersionCounter.user_id).with_for_update())


def bump_versions(counts):
    """Take `counts[user_id]` versions for each user at once; returns {user_id: the
    last one taken} (that user's versions are the `counts[user_id]` up to it). One
    statement for all users that take the same number."""
    by_step, last = {}, {}
    for user_id, n in counts.items():
        if n:
            by_step.setdefault(n, []).append(user_id)
    for n, user_ids in by_step.items():
        bump = (update(_COUNTERS).where(among(_COUNTERS.c.user_id, user_ids))
                .values(seq=_COUNTERS.c.seq + n).returning(_COUNTERS.c.user_id, _COUNTERS.c.seq))
        for user_id, seq in db.session.execute(bump):
            last[user_id] = seq
    return last


def version_range(user_id, count):
    """The user's next `count` versions, taken in one statement: a range, oldest first."""
    last = bump_versions({user_id: count}).get(user_id)
    return range(last - count + 1, last + 1) if last is not None else range(0)
