"""Record rules that need no database: defaults, derived fields, cross-field checks.

Plain functions on plain dicts (no Flask), so REST and sync share them and
tests can call them directly.
"""
import re
from datetime import date, datetime

from marshmallow import validate

LIST_FIELDS = {"emotions", "thinking_traps", "activities"}
PHONE = re.compile(r"^\+?[0-9 .\-]+$")
_EMAIL = validate.Email()


def defaults(entity, today: date, now: datetime):
    """Values a new record gets when the client leaves them out."""
    return {
        "applications": {"applied_on": today, "status": "applied"},
        "rejections": {"received_on": today, "feedback_status": "not_requested",
                       "emotions": [], "thinking_traps": []},
        "breaks": {"started_at": now, "activities": []},
        "checkins": {"at": now, "emotions": []},
        "outreach": {"at": now},
        "contacts": {},
    }.get(entity, {})


def derive(entity, old: dict | None, new: dict, today: date):
    """Fields the server keeps: fill them into `new` (the merged record)."""
    for field in LIST_FIELDS & new.keys():
        if new[field] is None:
            new[field] = []
    if entity == "applications":
        if old is None:
            new["status_changed_on"] = new["applied_on"] if new["status"] == "applied" else today
        elif old["status"] != new["status"]:
            new["status_changed_on"] = today
    if entity == "rejections":
        became_requested = new["feedback_status"] == "requested" and (
            old is None or old["feedback_status"] != "requested")
        if became_requested and not new.get("feedback_requested_on"):
            new["feedback_requested_on"] = today
    return new


def check(entity, record: dict):
    """Cross-field rules on the merged record; returns {field: [messages]}."""
    errors = {}
    if entity == "contacts":
        message = _handle_problem(record.get("channel"), record.get("handle"))
        if message:
            errors["handle"] = [message]
    if entity == "breaks":
        ended, started = record.get("ended_at"), record.get("started_at")
        if ended is not None and started is not None and ended < started:
            errors["ended_at"] = ["A break cannot end before it starts."]
    return errors


def _handle_problem(channel, handle):
    if not handle:
        return None
    if channel == "email":
        try:
            _EMAIL(handle)
        except Exception:
            return "For email, use an email address."
    if channel in ("phone", "sms"):
        digits = sum(ch.isdigit() for ch in handle)
        if not PHONE.match(handle) or not 7 <= digits <= 15:
            return "Use a phone number: an optional + and 7 to 15 digits."
    return None
