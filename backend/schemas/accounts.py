"""Schemas of the account endpoints."""
import re
from zoneinfo import ZoneInfo, available_timezones

import marshmallow as ma
from marshmallow import fields, validate

from .common import Email, Flag, Instant, Str
from .records import NUDGE_KINDS

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_ZONES = None
# Names the tz database ships that are not places: they mean "whatever the
# server's clock says" or a legacy variant, never a person's time zone.
_NOT_PLACES = {"Factory", "localtime", "posixrules"}


def _place_zones():
    return {name for name in available_timezones()
            if name not in _NOT_PLACES and not name.startswith(("posix/", "right/"))}


def _check_timezone(name):
    global _ZONES
    if _ZONES is None:
        _ZONES = _place_zones()
    if name not in _ZONES:
        raise ma.ValidationError("Must be an IANA timezone name, such as Europe/Berlin.")
    ZoneInfo(name)


def Password(**kwargs):
    return Str(max_length=1000, **kwargs)


def NewPassword(**kwargs):
    return Str(max_length=1000, min_length=10, **kwargs)


def Timezone(**kwargs):
    return Str(max_length=64, validate=[_check_timezone], **kwargs)


def Clock(**kwargs):
    return Str(max_length=5, validate=[validate.Regexp(HHMM, error="Use HH:MM, 24-hour.")],
               **kwargs)


class NudgeKindsSchema(ma.Schema):
    locals().update({kind: Flag() for kind in NUDGE_KINDS})


class SettingsSchema(ma.Schema):
    quiet_start = Clock()
    quiet_end = Clock()
    max_nudges_per_day = fields.Integer(strict=True, validate=validate.Range(0, 10))
    max_nudges_per_week = fields.Integer(strict=True, validate=validate.Range(0, 50))
    weekly_application_goal = fields.Integer(strict=True, validate=validate.Range(0, 100))
    # An application with no news for this many days counts as silent (SPEC §4).
    ghost_after_days = fields.Integer(strict=True, validate=validate.Range(7, 180))
    nudge_kinds = fields.Nested(NudgeKindsSchema)
    detailed_notifications = Flag()


class UserSchema(ma.Schema):
    id = fields.UUID()
    email = fields.String()
    display_name = fields.String(allow_none=True)
    timezone = fields.String()
    settings = fields.Nested(SettingsSchema)
    created_at = Instant()


class RegisterSchema(ma.Schema):
    email = Email(required=True)
    password = NewPassword(required=True)
    display_name = Str(allow_none=True)
    timezone = Timezone()
    device_label = Str(allow_none=True)


class LoginSchema(ma.Schema):
    email = Str(max_length=254, required=True)
    password = Password(required=True)
    device_label = Str(allow_none=True)


class ProfilePatchSchema(ma.Schema):
    display_name = Str(allow_none=True)
    timezone = Timezone()
    settings = fields.Nested(SettingsSchema)


class EmailChangeSchema(ma.Schema):
    new_email = Email(required=True)
    current_password = Password(required=True)


class PasswordChangeSchema(ma.Schema):
    current_password = Password(required=True)
    new_password = NewPassword(required=True)


class DeleteAccountSchema(ma.Schema):
    password = Password(required=True)


class DeviceSessionSchema(ma.Schema):
    id = fields.UUID()
    device_label = fields.String(allow_none=True)
    created_at = Instant()
    last_seen_at = Instant()
    current = Flag()


class HealthSchema(ma.Schema):
    status = fields.String()
    database = fields.String()


class ResetRequestSchema(ma.Schema):
    email = Email(required=True)


class ResetConfirmSchema(ma.Schema):
    token = Str(required=True, max_length=1000)
    new_password = NewPassword(required=True)
