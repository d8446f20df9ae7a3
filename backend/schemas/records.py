"""Schemas of the synced records. The same schemas validate REST bodies and sync fields."""
import marshmallow as ma
from marshmallow import fields, validate

from .common import (Choice, Day, Email, Flag, Instant, MetaFields, Mood, Str, StrList, Text)

APPLICATION_STATUSES = ["applied", "screening", "interviewing", "offer", "accepted",
                        "rejected", "withdrawn", "ghosted"]
STAGES = ["application", "screening", "interview", "final_round", "offer"]
FEEDBACK_STATUSES = ["not_requested", "requested", "received", "declined"]
THINKING_TRAPS = ["personalizing", "catastrophizing", "all_or_nothing", "mind_reading",
                  "overgeneralizing"]
ACTIVITIES = ["walk", "exercise", "sleep", "friends", "family", "hobby", "nature",
              "meditation", "reading", "other"]
RELATIONSHIPS = ["friend", "family", "mentor", "peer", "coach", "other"]
CHANNELS = ["phone", "sms", "email", "other"]
NUDGE_KINDS = ["break", "support", "apply", "feedback", "reflect", "big_picture"]
NUDGE_STATUSES = ["scheduled", "sent", "failed", "cancelled"]

WEB_URL = validate.URL(schemes={"http", "https"}, require_tld=False,
                       error="Must be an http or https address.")


def Emotions():
    return StrList(Str(max_length=40, min_length=1), allow_none=True)


class ApplicationSchema(MetaFields):
    company = Str(required=True, min_length=1)
    role = Str(allow_none=True)
    url = Str(max_length=2000, allow_none=True, validate=[WEB_URL])
    source = Str(allow_none=True)
    applied_on = Day(metadata={"description": "Defaults to today in the user's timezone."})
    status = Choice(APPLICATION_STATUSES)
    status_changed_on = Day(dump_only=True,
                            metadata={"description": "Kept by the server when status changes."})
    notes = Text(allow_none=True)


class RejectionSchema(MetaFields):
    company = Str(required=True, min_length=1)
    role = Str(allow_none=True)
    application_id = fields.UUID(allow_none=True)
    stage = Choice(STAGES, allow_none=True)
    received_on = Day(metadata={"description": "Defaults to today in the user's timezone."})
    mood = Mood(allow_none=True)
    emotions = Emotions()
    feelings = Text(allow_none=True)
    feedback_status = Choice(FEEDBACK_STATUSES)
    feedback_requested_on = Day(allow_none=True)
    feedback = Text(allow_none=True)
    contact_email = Email(allow_none=True, metadata={
        "description": "Who to ask for feedback (the recruiter's address), for the mailto link."})
    went_well = Text(allow_none=True)
    do_differently = Text(allow_none=True)
    lessons = Text(allow_none=True)
    thinking_traps = StrList(Choice(THINKING_TRAPS), max_items=5, allow_none=True)
    reframe = Text(allow_none=True)


class BreakSchema(MetaFields):
    started_at = Instant(metadata={"description": "Defaults to now."})
    planned_end_on = Day(allow_none=True)
    ended_at = Instant(allow_none=True, metadata={"description": "Null while active."})
    activities = StrList(Choice(ACTIVITIES), max_items=10, allow_none=True)
    note = Text(allow_none=True)
    mood_before = Mood(allow_none=True)
    mood_after = Mood(allow_none=True)


class ContactSchema(MetaFields):
    name = Str(required=True, min_length=1)
    relationship = Choice(RELATIONSHIPS, allow_none=True)
    channel = Choice(CHANNELS, allow_none=True)
    handle = Str(allow_none=True, metadata={
        "description": "An email address for email; for phone and sms an optional + "
                       "and 7-15 digits (spaces, dots, dashes allowed)."})
    check_in_every_days = fields.Integer(strict=True, allow_none=True,
                                         validate=validate.Range(1, 365))
    notes = Text(allow_none=True)


class CheckinSchema(MetaFields):
    at = Instant(metadata={"description": "Defaults to now."})
    mood = Mood(required=True)
    emotions = Emotions()
    note = Text(allow_none=True)


class OutreachSchema(MetaFields):
    contact_id = fields.UUID(required=True)
    at = Instant(metadata={"description": "Defaults to now."})
    channel = Choice(CHANNELS, allow_none=True)
    note = Text(allow_none=True)
    mood_after = Mood(allow_none=True)


class NudgeSchema(MetaFields):
    """A nudge as clients see it (read only, except the marks of NudgeMarkSchema)."""

    id = fields.UUID(dump_only=True)
    kind = Choice(NUDGE_KINDS, dump_only=True)
    title = fields.String(dump_only=True)
    body = fields.String(dump_only=True)
    url = fields.String(dump_only=True, allow_none=True)
    due_at = Instant(dump_only=True)
    status = Choice(NUDGE_STATUSES, dump_only=True)
    sent_at = Instant(dump_only=True, allow_none=True)
    read_at = Instant(dump_only=True, allow_none=True)
    dismissed_at = Instant(dump_only=True, allow_none=True)


class NudgeMarkSchema(ma.Schema):
    """What a client may send about a nudge."""

    read = Flag(validate=validate.Equal(True))
    dismissed = Flag(validate=validate.Equal(True))
    snooze_days = fields.Integer(strict=True, validate=validate.Range(1, 7))
