"""How the sender reads `Retry-After` (pure: no app, no network)."""
from datetime import datetime, timedelta, timezone

import pytest

from backend.push.sender import MAX_RETRY_AFTER, retry_after_seconds

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("value,seconds", [
    ("120", 120), (" 120\t", 120), ("0", 0), ("0000000000120", 120),
    ("3600", 3600), ("3601", MAX_RETRY_AFTER), ("300000000000", MAX_RETRY_AFTER),
    ("9" * 5000, MAX_RETRY_AFTER), ("0" * 5000 + "7", 7),
    ("Thu, 26 Nov 2026 12:02:00 GMT", 120),  # IMF-fixdate
    ("Thursday, 26-Nov-26 12:02:00 GMT", 120),  # RFC 850, obsolete but allowed
    ("Thu Nov 26 12:02:00 2026", 120),  # asctime, obsolete but allowed
    ("Thu, 26 Nov 2026 11:00:00 GMT", 0),  # already past
    ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER),
])
def test_ascii_seconds_and_http_dates_are_read_and_clamped_to_an_hour(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


@pytest.mark.parametrize("value", [
    None, "", "   ", "²", "１２０", "٣", "-5", "+5", "1.5", "1e3", "0x10", "12 s", "soon",
    "Thu, 26 Nov 2026 12:02:00 GMT²", "Thu, 32 Nov 2026 12:02:00 GMT",
    "Thu, 26 Nov 99999 12:00:00 GMT", "\x00", 120,
])
def test_anything_else_is_no_wait_at_all(value):
    assert retry_after_seconds(value, NOW) is None


def test_a_date_is_read_against_the_clock_when_no_time_is_given():
    soon = (datetime.now(timezone.utc) + timedelta(minutes=30)).strftime(
        "%a, %d %b %Y %H:%M:%S GMT")
    assert 0 < retry_after_seconds(soon) <= 30 * 60
