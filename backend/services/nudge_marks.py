"""The only writes a client may make to a nudge: read, dismissed, snooze_days.

Nudges are written by the server (the planner through reconcile, and the
dispatcher); this small service handles what a device sends about one, from
REST `PATCH /api/nudges/<id>` and from sync upserts alike.
"""
from datetime import timedelta

from ..exceptions import Forbidden, Gone, Invalid, NotFound
from ..extensions import db
from ..models import Nudge, utcnow
from ..nudges import reconcile
from ..schemas.records import NudgeMarkSchema
from ..versions import stamp

MARKS = NudgeMarkSchema()


def mark(user, record_id, marks):
    """Apply already loaded marks to the user's nudge; returns the row."""
    row = db.session.get(Nudge, record_id)
    if row is None or row.user_id != user.id:
        raise NotFound()
    if row.deleted_at is not None:
        raise Gone()
    now = utcnow()
    if marks.get("read") and row.read_at is None:
        row.read_at = now
    if marks.get("dismissed") and row.dismissed_at is None:
        row.dismissed_at = now
    if marks.get("snooze_days"):
        if row.status in ("cancelled", "failed"):
            # what it asked for is done or moot (cancelled), or it cannot be delivered
            raise Invalid(fields={"snooze_days": [
                "This reminder is no longer planned, so it cannot be snoozed."]})
        row.due_at = max(row.due_at, now) + timedelta(days=marks["snooze_days"])
        row.status = "scheduled"  # a sent one: "remind me again", planned anew
    if db.session.is_modified(row):
        stamp(row, now)
        db.session.flush()
        if marks.get("snooze_days"):
            reconcile.mark(user.id)  # replanned at commit: caps, quiet hours, still wanted
    return row


def upsert(user, record_id, raw):
    """Sync's upsert of a nudge: only the marks, anything else is `forbidden`."""
    return mark(user, record_id, load(raw))


def load(raw):
    if isinstance(raw, dict):
        refused = sorted(set(raw) - set(MARKS.fields))
        if refused:
            raise Forbidden("A client may only mark a nudge read, dismissed or snoozed.",
                            fields={field: ["Written by the server."] for field in refused})
    return MARKS.load(raw)
