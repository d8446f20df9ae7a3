"""Properties of the pure planner over random user histories (SPEC §6): whatever the
history, no plan breaks a cap, lands in quiet hours, puts two nudges within 2 hours,
or fires a job-search nudge during a break. HYPOTHESIS_PROFILE sets the effort
(ci: 200 derandomized examples, local: 1,000, quick: 25)."""
import os
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.nudges.planner import Snapshot, plan
from backend.nudges.rules import DURING_BREAK
from backend.nudges.schedule import SPACING, quiet_end
from backend.settings import DEFAULT_SETTINGS, merge_settings

EXAMPLES = {"ci": 200, "local": 1000, "quick": 25}[os.environ.get("HYPOTHESIS_PROFILE", "ci")]
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney",
         "Pacific/Chatham"]
# 2026-03-25 .. 2026-04-05 and 2026-10-20 .. 2026-11-05 hold DST changes in several zones.
NOWS = st.one_of(
    st.datetimes(datetime(2026, 3, 25), datetime(2026, 4, 5)),
    st.datetimes(datetime(2026, 10, 20), datetime(2026, 11, 5)),
    st.datetimes(datetime(2026, 6, 1), datetime(2026, 6, 30)),
).map(lambda d: d.replace(tzinfo=timezone.utc))
CLOCK = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 30]))


def ids():
    return st.builds(lambda: str(uuid.uuid4()))


@st.composite
def histories(draw):
    now = draw(NOWS)
    zone = draw(st.sampled_from(ZONES))
    settings_ = merge_settings(DEFAULT_SETTINGS, {
        "quiet_start": draw(CLOCK), "quiet_end": draw(CLOCK),
        "max_nudges_per_day": draw(st.integers(1, 4)),
        "max_nudges_per_week": draw(st.integers(1, 10)),
        "nudge_kinds": draw(st.fixed_dictionaries(
            {k: st.booleans() for k in DEFAULT_SETTINGS["nudge_kinds"]})),
    })

    def ago(max_days):
        return now - timedelta(minutes=draw(st.integers(0, max_days * 24 * 60)))

    applications = [{"id": draw(ids()), "applied_on": ago(20).date()}
                    for _ in range(draw(st.integers(0, 3)))]
    rejections = []
    for _ in range(draw(st.integers(0, 5))):
        received = ago(12).date()
        status = draw(st.sampled_from(["not_requested", "requested", "received", "declined"]))
        rejections.append({
            "id": draw(ids()), "company": draw(st.sampled_from(["Acme", "Globex", None])),
            "stage": draw(st.sampled_from([None, "application", "screening", "interview",
                                           "final_round", "offer"])),
            "received_on": received, "mood": draw(st.one_of(st.none(), st.integers(1, 5))),
            "feedback_status": status,
            "feedback_requested_on": received if status == "requested" else None,
            "lessons": draw(st.sampled_from([None, "", "Ask earlier."])),
            "application_id": (draw(st.sampled_from([a["id"] for a in applications]))
                               if applications and draw(st.booleans()) else None)})
    breaks, active = [], draw(st.booleans())
    for _ in range(draw(st.integers(0, 2))):
        started = ago(10)
        ended = None if active else started + timedelta(hours=draw(st.integers(1, 72)))
        if ended is not None and ended > now:
            ended = now
        breaks.append({"id": draw(ids()), "started_at": started, "ended_at": ended})
        active = False  # at most one active break
    contacts = [{"id": draw(ids()), "name": draw(st.sampled_from(["Maya", "Dad"])),
                 "check_in_every_days": draw(st.one_of(st.none(), st.integers(1, 14))),
                 "created_at": ago(30)} for _ in range(draw(st.integers(0, 3)))]
    outreach = [{"contact_id": draw(st.sampled_from([c["id"] for c in contacts])),
                 "at": ago(20)} for _ in range(draw(st.integers(0, 3)))] if contacts else []
    sent = sorted(ago(6) for _ in range(draw(st.integers(0, 2))))
    nudges = [{"key": f"old:{n}", "status": "sent", "due_at": moment, "sent_at": moment,
               "dismissed": False, "revivable": False} for n, moment in enumerate(sent)]
    snapshot = Snapshot(timezone=zone, settings=settings_, rejections=rejections,
                        applications=applications, breaks=breaks, contacts=contacts,
                        outreach=outreach, checkins=[], nudges=nudges)
    return snapshot, now


def caps_hold(planned, moments, tz, per_day, per_week):
    """Every day and every rolling 7 days that holds a planned nudge stays within the
    caps, counting the nudges already sent (history itself may be over them)."""
    for p in planned:
        day = p.due_at.astimezone(tz).date()
        same_day = [m for m in moments if m.astimezone(tz).date() == day]
        assert len(same_day) <= per_day, (p, same_day)
        for start in [m for m in moments if p.due_at - timedelta(days=7) < m <= p.due_at]:
            inside = [m for m in moments if start <= m < start + timedelta(days=7)]
            assert len(inside) <= per_week, (p, inside)


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          derandomize=os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci",
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(histories())
def test_no_plan_breaks_a_cap_quiet_hours_spacing_or_a_break(case):
    snapshot, now = case
    tz, limits = ZoneInfo(snapshot.timezone), snapshot.settings
    planned = plan(snapshot, now)
    sent = [n["sent_at"] for n in snapshot.nudges]
    moments = sorted([p.due_at for p in planned] + sent)

    assert len({p.key for p in planned}) == len(planned)
    for p in planned:
        assert p.due_at >= now - timedelta(seconds=1), p
        assert limits["nudge_kinds"][p.kind], p  # a kind switched off never comes
        assert quiet_end(p.due_at, tz, limits["quiet_start"], limits["quiet_end"]) is None, (
            p, limits["quiet_start"], limits["quiet_end"])
    for p in planned:
        others = [m for m in moments if m is not p.due_at]
        assert all(abs(p.due_at - m) >= SPACING for m in others), (p, others)
    caps_hold(planned, moments, tz, limits["max_nudges_per_day"], limits["max_nudges_per_week"])
    if any(b["ended_at"] is None for b in snapshot.breaks):
        assert {p.kind for p in planned} <= DURING_BREAK, planned
