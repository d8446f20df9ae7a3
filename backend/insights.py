"""The numbers behind the insights screen (SPEC §4), as pure functions on plain data.

No Flask and no database here: `compute` takes the user's live records as
dicts and "today" in the user's timezone, so the maths is tested directly.
"""
import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STAGES = ["application", "screening", "interview", "final_round", "offer"]
STATUS_STAGE = {"applied": "application", "screening": "screening",
                "interviewing": "interview", "offer": "offer", "accepted": "offer"}
INTERVIEW_STAGES = {"interview", "final_round", "offer"}
INTERVIEW_STATUSES = {"interviewing", "offer", "accepted"}
SILENT_STATUSES = {"applied", "ghosted"}  # no sign of life from the employer
HELPS_MIN_READINGS = 3


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment is not None else None


def compute(data: dict, today: date, timezone: str, weeks: int, goal: int,
            ghost_after_days: int = 30) -> dict:
    """`data` maps entity name to a list of record dicts (live records only)."""
    zone = ZoneInfo(timezone)
    apps, rejections = data["applications"], data["rejections"]
    first_week = week_start(today) - timedelta(weeks=weeks - 1)
    starts = [first_week + timedelta(weeks=n) for n in range(weeks)]
    rows = {start: {"week_start": start.isoformat(), "applications": 0, "rejections": 0,
                    "interviews_reached": 0, "breaks": 0, "outreach": 0} for start in starts}

    def count(day, key):
        if day is not None and first_week <= day <= today:
            rows[week_start(day)][key] += 1

    for app in apps:
        count(app["applied_on"], "applications")
        if app["status"] in INTERVIEW_STATUSES:
            count(app["status_changed_on"], "interviews_reached")
    for rejection in rejections:
        count(rejection["received_on"], "rejections")
        if rejection["stage"] in INTERVIEW_STAGES:
            count(rejection["received_on"], "interviews_reached")
    for item in data["breaks"]:
        count(local_day(item["started_at"], zone), "breaks")
    for item in data["outreach"]:
        count(local_day(item["at"], zone), "outreach")

    processes = _processes(apps, rejections)
    funnel = _funnel(processes)
    return {
        "weeks": [rows[start] for start in starts],
        "funnel": funnel,
        "mood": _mood(data, zone, first_week, today),
        "totals": _totals(data, processes, today, timedelta(days=ghost_after_days)),
        "conversion": [{"stage": stage, "reached": funnel[stage], "of": funnel[before]}
                       for before, stage in zip(STAGES, STAGES[1:])],
        "days_to_response": _days_to_response(processes),
        "helps": _helps(data, zone),
        "goal": {"target": goal,
                 "done_this_week": sum(1 for a in apps if a["applied_on"] is not None
                                       and week_start(a["applied_on"]) == week_start(today)
                                       and a["applied_on"] <= today)},
    }


def _processes(apps, rejections):
    """One entry per process: its furthest stage and whether it heard back.

    A process is an application, or a rejection logged without one; a
    rejection's stage counts as reached by its application too.
    """
    by_app = defaultdict(list)
    for rejection in rejections:
        if rejection["application_id"] is not None:
            by_app[rejection["application_id"]].append(rejection)
    app_ids = {app["id"] for app in apps}
    processes = []
    for app in apps:
        linked = by_app.get(app["id"], [])
        reached = [STATUS_STAGE.get(app["status"], "application")]
        reached += [r["stage"] or "application" for r in linked]
        # The first sign of life: a linked rejection, or the status moving past applied
        # (only the latest change is kept, so that is the day we know of).
        signs = [r["received_on"] for r in linked if r.get("received_on") is not None]
        if app["status"] not in SILENT_STATUSES and app.get("status_changed_on") is not None:
            signs.append(app["status_changed_on"])
        processes.append({"stage": max(reached, key=STAGES.index),
                          "heard_back": bool(linked) or app["status"] not in SILENT_STATUSES,
                          "applied_on": app.get("applied_on"),
                          "first_response": min(signs, default=None)})
    for rejection in rejections:
        if rejection["application_id"] is None or rejection["application_id"] not in app_ids:
            processes.append({"stage": rejection["stage"] or "application", "heard_back": True,
                              "applied_on": None, "first_response": None})
    return processes


def _funnel(processes):
    funnel = dict.fromkeys(STAGES, 0)
    for process in processes:
        for stage in STAGES[:STAGES.index(process["stage"]) + 1]:
            funnel[stage] += 1
    return funnel


def _mood(data, zone, first_day, today):
    readings = defaultdict(list)

    def add(day, mood):
        if mood is not None and day is not None and first_day <= day <= today:
            readings[day].append(mood)

    for item in data["checkins"]:
        add(local_day(item["at"], zone), item["mood"])
    for item in data["rejections"]:
        add(item["received_on"], item["mood"])
    for item in data["breaks"]:
        add(local_day(item["started_at"], zone), item["mood_before"])
        add(local_day(item["ended_at"] or item["started_at"], zone), item["mood_after"])
    for item in data["outreach"]:
        add(local_day(item["at"], zone), item["mood_after"])
    return [{"date": day.isoformat(), "mood": round(sum(moods) / len(moods), 2)}
            for day, moods in sorted(readings.items())]


def _days_to_response(processes):
    """Median days from applying to the first sign of life, over processes that heard
    back and have both days (a rejection logged without an application has no start)."""
    days = [max(0, (p["first_response"] - p["applied_on"]).days) for p in processes
            if p["heard_back"] and p["applied_on"] is not None
            and p["first_response"] is not None]
    return {"median": statistics.median(days) if days else None, "n": len(days)}


def _helps(data, zone):
    """Mean mood change per break activity and per contact, for keys with at least
    three readings, largest change first (ties by kind, then key)."""
    changes = defaultdict(list)
    for item in data["breaks"]:
        before, after = item.get("mood_before"), item.get("mood_after")
        if before is not None and after is not None:
            for activity in item.get("activities") or []:
                changes[("activity", activity)].append(after - before)
    readings = sorted(_readings(data, zone), key=lambda reading: reading[0])
    for item in data["outreach"]:
        if item.get("mood_after") is None or item.get("contact_id") is None:
            continue
        earlier = [mood for moment, mood in readings if moment < item["at"]]
        if earlier:
            changes[("contact", str(item["contact_id"]))].append(item["mood_after"] - earlier[-1])
    helps = [{"kind": kind, "key": key, "readings": len(found),
              "mean_change": round(sum(found) / len(found), 2)}
             for (kind, key), found in changes.items() if len(found) >= HELPS_MIN_READINGS]
    return sorted(helps, key=lambda h: (-h["mean_change"], h["kind"], h["key"]))


def _readings(data, zone):
    """Every mood reading as (moment, mood). A rejection's reading is placed at the
    start of its `received_on` in the user's timezone (it has a day, not a time)."""
    for item in data["checkins"]:
        if item.get("mood") is not None:
            yield item["at"], item["mood"]
    for item in data["rejections"]:
        if item.get("mood") is not None and item.get("received_on") is not None:
            yield datetime.combine(item["received_on"], time(), zone), item["mood"]
    for item in data["breaks"]:
        if item.get("mood_before") is not None:
            yield item["started_at"], item["mood_before"]
        if item.get("mood_after") is not None:
            yield item.get("ended_at") or item["started_at"], item["mood_after"]
    for item in data["outreach"]:
        if item.get("mood_after") is not None:
            yield item["at"], item["mood_after"]


def _totals(data, processes, today, ghost_after):
    apps = data["applications"]
    silent = sum(1 for a in apps if a["status"] == "ghosted" or (
        a["status"] == "applied" and a["applied_on"] is not None
        and a["applied_on"] <= today - ghost_after))
    return {
        "attempts": len(processes),
        "applications": len(apps),
        "rejections": len(data["rejections"]),
        "responses": sum(1 for p in processes if p["heard_back"]),
        "silent": silent,
        "lessons": sum(1 for r in data["rejections"] if (r["lessons"] or "").strip()),
        "breaks": len(data["breaks"]),
        "outreach": len(data["outreach"]),
    }
