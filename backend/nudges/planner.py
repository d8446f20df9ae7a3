"""The nudge planner: a pure function from a user's snapshot and `now` to the
nudges they should have (SPEC §6). No Flask, no database.

`plan` applies, in order: the rules table (rules.py); the per-kind switches;
done keys (a nudge with that key already sent, failed, dismissed or given up)
are not planned again; a rule moment more than 24 h past is skipped, one less
than 24 h past moves to now; a nudge already scheduled never moves earlier than
its current time (so a snooze holds); then, highest priority first, each is
placed at its first allowed moment: outside quiet hours, 2 h from any other,
within the daily and rolling 7-day caps (schedule.py). Nudges already sent count
against the caps and the spacing.
"""
from bisect import insort
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from . import rules
from .schedule import place
from .texts import text_for

PAST_LIMIT = timedelta(hours=24)


@dataclass
class Snapshot:
    """What the planner knows of one user. Records are dicts of their columns;
    times are aware datetimes, days are dates, ids are strings."""

    timezone: str
    settings: dict
    rejections: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    breaks: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    outreach: list = field(default_factory=list)
    checkins: list = field(default_factory=list)
    # Existing nudges: {key, status, due_at, sent_at, dismissed, revivable}
    nudges: list = field(default_factory=list)


@dataclass(frozen=True)
class Desired:
    key: str
    kind: str
    due_at: datetime
    title: str
    body: str
    url: str


def is_done(nudge):
    """A nudge that must not be planned again under its key."""
    if nudge.get("dismissed") or nudge["status"] in ("sent", "failed"):
        return True
    return nudge["status"] == "cancelled" and not nudge.get("revivable")


def plan(snapshot, now):
    """The nudges this user should have scheduled, by dedupe key, soonest first."""
    tz = ZoneInfo(snapshot.timezone or "UTC")
    settings = snapshot.settings
    switches = settings.get("nudge_kinds", {})
    existing = {n["key"]: n for n in snapshot.nudges}
    taken = sorted(n["sent_at"] for n in snapshot.nudges
                   if n["status"] == "sent" and n.get("sent_at"))

    wanted = {}
    for c in rules.candidates(snapshot, tz, now):
        row = existing.get(c.key)
        if not switches.get(c.kind, True) or (row and is_done(row)) or c.key in wanted:
            continue
        scheduled = row is not None and row["status"] == "scheduled"
        if c.moment < now - PAST_LIMIT and not scheduled:
            continue
        start = max(c.moment, row["due_at"]) if scheduled else max(c.moment, now)
        wanted[c.key] = (c, start)

    order = sorted(wanted.values(),
                   key=lambda item: (rules.PRIORITY.index(item[0].kind), item[1], item[0].key))
    planned = []
    for c, start in order:
        due = place(start, taken, tz, settings)
        if due is None:
            continue
        insort(taken, due)
        title, body = text_for(c.variant, settings.get("detailed_notifications", False),
                               company=c.company, contact=c.contact, figures=c.figures)
        planned.append(Desired(c.key, c.kind, due, title, body, c.url))
    return sorted(planned, key=lambda d: (d.due_at, d.key))
