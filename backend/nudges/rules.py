"""The rules table of SPEC §6: each rule turns the user's records into candidate
nudges (a dedupe key of kind and subject id, and the moment the rule names).

Plain functions on a Snapshot; the planner then applies the shared constraints.
"""
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta

from .schedule import at_local

LATE_STAGES = {"interview", "final_round", "offer"}
PRIORITY = ["support", "break", "feedback", "reflect", "apply", "big_picture"]
DURING_BREAK = {"support", "big_picture"}
SNOOZE_REACH = timedelta(days=9)  # a nudge snoozed 7 days, plus its day of grace


@dataclass(frozen=True)
class Candidate:
    key: str
    kind: str
    moment: datetime
    variant: str
    url: str
    company: str | None = None
    contact: str | None = None
    figures: tuple = ()  # (label, count) pairs a nudge may show: counts only, never a name


def _day(d, n):
    return d + timedelta(days=n)


def _mood(rejection):
    mood = rejection.get("mood")
    return 3 if mood is None else mood


def _local_date(moment, tz):
    return moment.astimezone(tz).date()


def reflect(snap, tz):
    for r in snap.rejections:
        if not (r.get("lessons") or "").strip():
            yield Candidate(f"reflect:{r['id']}", "reflect",
                            at_local(_day(r["received_on"], 2), 19, 0, tz), "reflect",
                            f"/rejections/{r['id']}", company=r.get("company"))


def feedback(snap, tz):
    for r in snap.rejections:
        url = f"/rejections/{r['id']}"
        status = r.get("feedback_status") or "not_requested"
        if status == "not_requested" and r.get("stage") in LATE_STAGES:
            yield Candidate(f"feedback:{r['id']}", "feedback",
                            at_local(_day(r["received_on"], 1), 10, 0, tz), "feedback", url,
                            company=r.get("company"))
        elif status == "requested" and r.get("feedback_requested_on"):
            yield Candidate(f"feedback:{r['id']}:followup", "feedback",
                            at_local(_day(r["feedback_requested_on"], 7), 10, 0, tz),
                            "feedback_followup", url, company=r.get("company"))


def _last_outreach(snap):
    last = {}
    for o in snap.outreach:
        if o["contact_id"] not in last or o["at"] > last[o["contact_id"]]:
            last[o["contact_id"]] = o["at"]
    return last


def least_recently_reached(snap):
    """The contact reached longest ago (never reached counts as longest)."""
    if not snap.contacts:
        return None
    last = _last_outreach(snap)
    floor = datetime.min.replace(tzinfo=snap.contacts[0]["created_at"].tzinfo)
    return min(snap.contacts, key=lambda c: (last.get(c["id"], floor), c["name"]))["name"]


def support(snap, tz, now):
    contact = least_recently_reached(snap)
    latest = max((o["at"] for o in snap.outreach), default=None)
    for r in snap.rejections:
        since = at_local(r["received_on"], 0, 0, tz)
        if _mood(r) <= 3 and not (latest and latest >= since):
            yield Candidate(f"support:{r['id']}", "support",
                            at_local(_day(r["received_on"], 1), 12, 0, tz), "support",
                            "/support", contact=contact)
    last = _last_outreach(snap)
    for c in snap.contacts:
        every = c.get("check_in_every_days")
        if not every:
            continue
        # Every `every` days after the last outreach (or since the contact was added),
        # up to the first such day whose noon is not already more than a day past.
        # Recent past days are candidates too: the planner keeps one only while it
        # is still scheduled (a snooze), and skips it otherwise.
        day = _day(_local_date(last.get(c["id"], c["created_at"]), tz), every)
        day = _skip_to(day, every, _day((now - SNOOZE_REACH).astimezone(tz).date(), -2))
        while True:
            moment = at_local(day, 12, 0, tz)
            if moment >= now - SNOOZE_REACH:
                yield Candidate(f"support:contact:{c['id']}:{day.isoformat()}", "support",
                                moment, "checkin", "/support", contact=c["name"])
            if moment >= now - timedelta(hours=24):
                break
            day = _day(day, every)


def _skip_to(day, every, before):
    """The last of `day`, `day + every`, … that is not after `before` (or `day` itself):
    arithmetic, so an outreach dated years ago costs no more than one from last week.
    (`before` is two days short of the earliest moment the loop keeps, so no day it
    would keep is jumped over, whatever a daylight-saving change does to noon.)"""
    if before <= day:
        return day
    return _day(day, (before - day).days // every * every)


def _third_within_week(r, days):
    """Is `r` one of 3 or more rejections received within 7 days ending on its day?
    `days`: every rejection's received_on, sorted."""
    start, end = _day(r["received_on"], -6), r["received_on"]
    return bisect_right(days, end) - bisect_left(days, start) >= 3


def breaks(snap, tz, active):
    days = sorted(r["received_on"] for r in snap.rejections)
    for r in snap.rejections:
        if not (_mood(r) <= 2 or _third_within_week(r, days)):
            continue
        moment = at_local(_day(r["received_on"], 1), 18, 0, tz)
        recent = any(b.get("ended_at") and moment - timedelta(days=3) < b["ended_at"]
                     for b in snap.breaks)
        if active is None and not recent:
            yield Candidate(f"break:{r['id']}", "break", moment, "break", "/breaks")


def _applied_since(latest, day, exclude=None):
    """`latest`: the two most recent applications; enough to skip one excluded id."""
    return any(a["applied_on"] >= day and a["id"] != exclude for a in latest)


def apply(snap, tz):
    ended = [b for b in snap.breaks if b.get("ended_at")]
    latest = sorted(snap.applications, key=lambda a: a["applied_on"], reverse=True)[:2]
    for r in snap.rejections:
        after_break = any(_local_date(b["ended_at"], tz) >= r["received_on"] for b in ended)
        applied = _applied_since(latest, r["received_on"], r.get("application_id"))
        if not after_break and not applied:
            yield Candidate(f"apply:{r['id']}", "apply",
                            at_local(_day(r["received_on"], 3), 10, 0, tz), "apply",
                            "/applications", company=r.get("company"))
    for b in ended:
        end_day = _local_date(b["ended_at"], tz)
        if not _applied_since(latest, end_day):
            yield Candidate(f"apply:break:{b['id']}", "apply",
                            at_local(_day(end_day, 1), 10, 0, tz), "welcome_back", "/today")


INTERVIEW_STAGES = {"interview", "final_round", "offer"}
INTERVIEW_STATUSES = {"interviewing", "offer", "accepted"}


def week_figures(snap, start, end):
    """This week's counts for the big picture: applications sent, interviews reached
    (an application moved to interviewing or beyond, or a rejection after one), breaks
    taken and people reached. `start`, `end`: the week's first and last moments."""
    def on(day):
        return day is not None and start.date() <= day <= end.date()

    def at(moment):
        return moment is not None and start <= moment <= end

    interviews = sum(1 for a in snap.applications
                     if a.get("status") in INTERVIEW_STATUSES and on(a.get("status_changed_on")))
    interviews += sum(1 for r in snap.rejections
                      if r.get("stage") in INTERVIEW_STAGES and on(r["received_on"]))
    return (("applications", sum(1 for a in snap.applications if on(a["applied_on"]))),
            ("interviews", interviews),
            ("breaks", sum(1 for b in snap.breaks if at(b["started_at"]))),
            ("reach-outs", sum(1 for o in snap.outreach if at(o["at"]))))


def _had_activity(snap, start, end, tz):
    days = [r["received_on"] for r in snap.rejections]
    days += [a["applied_on"] for a in snap.applications]
    moments = [b["started_at"] for b in snap.breaks] + [o["at"] for o in snap.outreach]
    moments += [c["at"] for c in snap.checkins]
    return (any(start.date() <= d <= end.date() for d in days)
            or any(start <= m <= end for m in moments))


def big_picture(snap, tz, now):
    """Sunday 18:00 of this week (and of the two before, which the planner keeps only
    when they are less than a day past or still scheduled after a snooze)."""
    today = now.astimezone(tz).date()
    sunday = _day(today, 6 - today.weekday())
    for day in (_day(sunday, -14), _day(sunday, -7), sunday):  # past ones only if snoozed
        moment = at_local(day, 18, 0, tz)
        start = at_local(_day(day, -6), 0, 0, tz)
        if _had_activity(snap, start, moment, tz):
            yield Candidate(f"big_picture:{day.isoformat()}", "big_picture", moment,
                            "big_picture", "/insights", figures=week_figures(snap, start, moment))


def active_break(snap, now):
    for b in snap.breaks:
        if b.get("ended_at") is None and b["started_at"] <= now:
            return b
    return None


def candidates(snap, tz, now):
    """Every candidate the rules table gives, before any constraint."""
    active = active_break(snap, now)
    found = [*reflect(snap, tz), *feedback(snap, tz), *support(snap, tz, now),
             *breaks(snap, tz, active), *apply(snap, tz), *big_picture(snap, tz, now)]
    if active is not None:
        found = [c for c in found if c.kind in DURING_BREAK]
    return found
