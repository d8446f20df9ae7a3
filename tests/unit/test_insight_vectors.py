"""The shared insights vectors (tests/vectors/insights) against backend/insights.py."""
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from backend.insights import compute

VECTORS = sorted((Path(__file__).parents[1] / "vectors" / "insights").glob("*.json"))
MOMENTS = {"at", "started_at", "ended_at"}


def as_python(records):
    """JSON records as the database hands them to insights: dates and aware datetimes."""
    def convert(key, value):
        if value is None:
            return None
        if key.endswith("_on"):
            return date.fromisoformat(value)
        if key in MOMENTS:
            return datetime.fromisoformat(value)
        return value
    return {name: [{k: convert(k, v) for k, v in row.items()} for row in rows]
            for name, rows in records.items()}


def test_there_are_vectors_for_each_case_the_issue_names():
    names = {path.stem for path in VECTORS}
    assert {"empty_account", "monday_in_the_users_timezone", "daylight_saving_change",
            "rejection_after_an_interview", "ghosted_and_silent"} <= names


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_insights_match_the_shared_vector(path):
    vector = json.loads(path.read_text())
    result = compute(as_python(vector["records"]), date.fromisoformat(vector["today"]),
                     vector["timezone"], vector["weeks"], vector["goal"],
                     vector["ghost_after_days"])
    assert result == vector["expected"]
