"""place() across a DST change (found by a random search: it looped forever).

On 5 April 2026 Pacific/Chatham falls back from 03:45 (+13:45) to 02:45 (+12:45).
With quiet hours 08:30-03:45 the moment went to the quiet end, 03:45 (+12:45); the
2-hour spacing, computed in wall-clock time, saw a window five hours wide, found a
nudge 2 h 54 min back and stepped the moment back into the quiet hours: forever.
A reconcile in a web request would have hung; a worker's sweep too."""
import signal
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from backend.nudges.schedule import SPACING, place, quiet_end

U = timezone.utc
TAKEN = [datetime(2026, 4, 2, 1, 50, tzinfo=U), datetime(2026, 4, 4, 12, 6, tzinfo=U),
         datetime(2026, 4, 10, 6, 53, tzinfo=U)]
LIMITS = {"quiet_start": "08:30", "quiet_end": "03:45", "max_nudges_per_day": 1,
          "max_nudges_per_week": 9}


@pytest.fixture
def two_seconds():
    def stuck(*_):
        raise AssertionError("place() did not return within 2 s")
    signal.signal(signal.SIGALRM, stuck)
    signal.alarm(2)
    yield
    signal.alarm(0)


def test_place_ends_across_chathams_fall_back(two_seconds):
    tz = ZoneInfo("Pacific/Chatham")
    due = place(datetime(2026, 4, 4, 6, 38, tzinfo=U), TAKEN, tz, LIMITS)
    assert due is not None
    assert quiet_end(due, tz, LIMITS["quiet_start"], LIMITS["quiet_end"]) is None
    assert all(abs(due.astimezone(U) - t) >= SPACING for t in TAKEN)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Sydney",
                                  "Pacific/Chatham"])
def test_spacing_is_two_real_hours_on_a_dst_day(zone, two_seconds):
    # Every moment of the days around each zone's 2026 changes, against one taken moment.
    tz = ZoneInfo(zone)
    limits = {"quiet_start": "00:00", "quiet_end": "00:00", "max_nudges_per_day": 9,
              "max_nudges_per_week": 99}
    for day in (datetime(2026, 3, 28, tzinfo=U), datetime(2026, 4, 4, tzinfo=U),
                datetime(2026, 10, 3, tzinfo=U), datetime(2026, 10, 24, tzinfo=U),
                datetime(2026, 10, 31, tzinfo=U)):
        for minutes in range(0, 3 * 24 * 60, 45):
            taken = [day + timedelta(minutes=minutes)]
            moment = (day + timedelta(minutes=minutes + 30)).astimezone(tz)
            due = place(moment, taken, tz, limits)
            assert due >= moment and due.astimezone(U) - taken[0] >= SPACING, (moment, due)
