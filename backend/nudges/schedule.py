"""Where a nudge may land: quiet hours, daily and rolling-7-day caps, 2-hour spacing.

Plain functions on aware datetimes; every local time is in the user's zone, so a
day is a calendar day there and "the same time next day" survives a DST change.
"""
from bisect import bisect_left, bisect_right
from datetime import datetime, time, timedelta, timezone

SPACING = timedelta(hours=2)
WEEK = timedelta(days=7)
HORIZON = timedelta(days=30)  # a nudge that finds no room within this is dropped


def at_local(day, hour, minute, tz):
    """The instant of `day` at hour:minute in `tz`, as an aware datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def parse_hhmm(text):
    hour, minute = text.split(":")
    return int(hour), int(minute)


def quiet_end(moment, tz, start, end):
    """The end of the quiet hours `moment` falls in, or None outside them."""
    if start == end:
        return None
    return _quiet_end(moment, tz, parse_hhmm(start), parse_hhmm(end))


def _quiet_end(moment, tz, start, end):
    """quiet_end with the clocks already parsed, as (hour, minute), and different."""
    local = moment.astimezone(tz)
    clock = (local.hour, local.minute)
    if start < end:  # e.g. 13:00-15:00, inside one day
        quiet, end_day = start <= clock < end, local.date()
    else:            # e.g. 21:00-08:00, across midnight
        quiet = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    return at_local(end_day, *end, tz) if quiet else None


def next_day_same_time(moment, tz):
    local = moment.astimezone(tz)
    return at_local(local.date() + timedelta(days=1), local.hour, local.minute, tz)


def _count(taken, start, end):
    """How many of the sorted `taken` fall in [start, end)."""
    return bisect_left(taken, end) - bisect_left(taken, start)


def too_close(moment, taken):
    """The latest taken moment within 2 hours of `moment`, or None (`taken` sorted).

    Two hours of real time: the arithmetic is in UTC. On a zone-aware moment it would be
    wall-clock time, five hours wide across a fall-back, and could step back."""
    moment = moment.astimezone(timezone.utc)
    lo, hi = bisect_right(taken, moment - SPACING), bisect_left(taken, moment + SPACING)
    return taken[hi - 1] if hi > lo else None


def day_full(moment, taken, tz, per_day):
    day = moment.astimezone(tz).date()
    start, end = at_local(day, 0, 0, tz), at_local(day + timedelta(days=1), 0, 0, tz)
    return _count(taken, start, end) >= per_day


def week_full(moment, taken, per_week):
    """Would one more at `moment` put more than `per_week` in some 7-day window?"""
    first = bisect_right(taken, moment - WEEK)
    starts = [moment] + taken[first:bisect_right(taken, moment)]
    return any(_count(taken, s, s + WEEK) + 1 > per_week for s in starts)


def place(moment, taken, tz, limits):
    """The first allowed moment at or after `moment`, or None when none is near.

    `taken`: the moments already used, sorted. `limits`: quiet_start, quiet_end,
    max_nudges_per_day, max_nudges_per_week.
    """
    per_day, per_week = limits["max_nudges_per_day"], limits["max_nudges_per_week"]
    if per_day < 1 or per_week < 1:
        return None
    # Parsed once: a placement may step through a month of days.
    quiet = (parse_hhmm(limits["quiet_start"]), parse_hhmm(limits["quiet_end"]))
    if quiet[0] == quiet[1]:
        quiet = None
    start = moment
    while moment - start <= HORIZON:
        end = _quiet_end(moment, tz, *quiet) if quiet else None
        if end is None:
            near = too_close(moment, taken)
            if near is not None:
                end = near.astimezone(timezone.utc) + SPACING
            elif day_full(moment, taken, tz, per_day) or week_full(moment, taken, per_week):
                end = next_day_same_time(moment, tz)
            else:
                return moment
        # Every step moves on in real time (a step back across a DST change would loop).
        moment = end if end > moment else moment + timedelta(minutes=1)
    return None
