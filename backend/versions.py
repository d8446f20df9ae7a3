"""Per-user versions (SPEC §5): every change of a synced row takes the next one.

`bump_version` runs `UPDATE version_counters SET seq = seq + 1 ... RETURNING
seq` in the writing transaction, which locks the user's counter row until
commit, so one user's versions commit in order and a pull by cursor never
skips a change. The write service, reconcile and the dispatcher all stamp
rows through here.
"""
from sqlalchemy import update

from .extensions import db
from .models import VersionCounter, utcnow


def bump_version(user_id):
    """Take the user's next version; locks their counter row until commit."""
    return db.session.execute(
        update(VersionCounter).where(VersionCounter.user_id == user_id)
        .values(seq=VersionCounter.seq + 1).returning(VersionCounter.seq)).scalar_one()


def bump_versions(user_id, count):
    """Take the user's next `count` versions in one statement: a range, oldest first."""
    if count <= 0:
        return range(0)
    seq = db.session.execute(
        update(VersionCounter).where(VersionCounter.user_id == user_id)
        .values(seq=VersionCounter.seq + count).returning(VersionCounter.seq)).scalar_one()
    return range(seq - count + 1, seq + 1)


def stamp(row, now=None):
    """Give a changed row of a synced table its new version and `updated_at`."""
    row.version = bump_version(row.user_id)
    row.updated_at = now or utcnow()
    return row
