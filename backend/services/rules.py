"""Record rules that need no database: defaults, derived fields, cross-field checks.

Plain functions on plain dicts (no Flask), one set per entity; `entities.py`
says which entity uses which, so the write service stays generic and tests
can call these directly.
"""
import re
from datetime import date, datetime, tzinfo

from marshmallow import validate

LIST_FIELDS = {"emotions", "thinking_traps", "activities"}
PHONE = re.compile(r"^\+?[0-9 .\-]+$")
_EMAIL = validate.Email()


# Defaults: values a new record gets when the client leaves them out.

def application_defaults(today: date, now: datetime):
    return {"applied_on": today, "status": "applied"}


def rejection_defaults(today: date, now: datetime):
    return {"received_on": today, "feedback_status": "not_requested", "emotions": [],
            "thinking_traps": []}


def break_defaults(today: date, now: datetime):
    return {"started_at": now, "activities": []}


def checkin_defaults(today: date, now: datetime):
    return {"at": now, "emotions": []}


def outreach_defaults(today: date, now: datetime):
    return {"at": now}


# Derived fields: what the server keeps, filled into `new` (the merged record).

def empty_lists(old: dict | None, new: dict, today: date):
    """A list field sent as null is stored as an empty list."""
    for field in LIST_FIELDS & new.keys():
        if new[field] is None:
            new[field] = []
    return new


def application_status_changed_on(old: dict | None, new: dict, today: date):
    if old is None:
        new["status_changed_on"] = new["applied_on"] if new["status"] == "applied" else today
    elif old["status"] != new["status"]:
        new["status_changed_on"] = today
    return new


def rejection_feedback_requested_on(old: dict | None, new: dict, today: date):
    became_requested = new["feedback_status"] == "requested" and (
        old is None or old["feedback_status"] != "requested")
    if became_requested and not new.get("feedback_requested_on"):
        # never before the rejection itself, even for one dated ahead in another zone
        new["feedback_requested_on"] = max(today, new["received_on"])
    return new


# Cross-field checks on the merged record and the user's time zone (for "the
# day a moment falls on"): each returns {field: [messages]}.

def contact_handle_fits_channel(record: dict, zone: tzinfo):
    message = _handle_problem(record.get("channel"), record.get("handle"))
    return {"handle": [message]} if message else {}


def break_ends_after_start(record: dict, zone: tzinfo):
    errors = {}
    started = record.get("started_at")
    if started is None:
        return errors
    ended, planned = record.get("ended_at"), record.get("planned_end_on")
    if ended is not None and ended < started:
        errors["ended_at"] = ["A break cannot end before it starts."]
    if planned is not None and planned < started.astimezone(zone).date():
        errors["planned_end_on"] = ["A break cannot be planned to end before the day it starts."]
    return errors


def feedback_asked_after_the_rejection(record: dict, zone: tzinfo):
    asked, received = record.get("feedback_requested_on"), record.get("received_on")
    if asked is not None and received is not None and asked < received:
        return {"feedback_requested_on": [
            "Feedback can only be asked for after the rejection came."]}
    return {}


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
