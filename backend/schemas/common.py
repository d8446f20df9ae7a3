"""Field types shared by every schema."""
from datetime import date, timedelta, timezone

import marshmallow as ma
from marshmallow import fields, validate

SHORT = 200
TEXT = 10_000
MOODS = validate.Range(1, 5)
EARLIEST_DAY = date(2000, 1, 1)
DAYS_AHEAD = 366  # "one year from today", leap years included


def check_day(day: date):
    """Dates (and the date part of moments) from 2000 up to a year ahead (SPEC §4).

    Older or further dates are typos or probes; refusing them also bounds what
    the nudge planner can be asked to step through.
    """
    latest = date.today() + timedelta(days=DAYS_AHEAD)
    if not EARLIEST_DAY <= day <= latest:
        raise ma.ValidationError(
            f"Must be between {EARLIEST_DAY.isoformat()} and {latest.isoformat()}.")


EMAIL = validate.Email(error="Must be a valid email address.")


class Str(fields.String):
    """A string with a maximum length that never holds a NUL character.

    (PostgreSQL cannot store NUL in text; refusing it keeps both databases alike.)
    """

    def __init__(self, max_length=SHORT, min_length=None, **kwargs):
        checks = [validate.Length(min=min_length, max=max_length)]
        if min_length:
            checks.append(_not_blank)  # a required string of only spaces is missing
        checks.extend(kwargs.pop("validate", None) or [])
        super().__init__(validate=checks, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ma.ValidationError("Must not contain NUL characters.")
        if not text.isascii():
            try:
                text.encode("utf-8")  # JSON may carry lone surrogates, which no database stores
            except UnicodeEncodeError:
                raise ma.ValidationError("Must be valid Unicode text.") from None
        return text


def _not_blank(text):
    if not text.strip():
        raise ma.ValidationError("Must not be empty.")


class Flag(fields.Boolean):
    """JSON true or false, nothing else ("yes", 1 or "true" mean a confused client)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def Text(**kwargs):
    return Str(max_length=TEXT, **kwargs)


def Choice(options, **kwargs):
    return Str(validate=[validate.OneOf(options)], **kwargs)


def Mood(**kwargs):
    return fields.Integer(strict=True, validate=MOODS, **kwargs)


class Instant(fields.AwareDateTime):
    """An ISO 8601 moment; without an offset it is taken as UTC. Always dumped in UTC."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=timezone.utc, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = moment.astimezone(timezone.utc)
        except OverflowError as error:
            raise ma.ValidationError("Not a valid datetime.") from error
        check_day(moment.date())
        return moment

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None:
            value = value.astimezone(timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


class Day(fields.Date):
    """A calendar date, YYYY-MM-DD, within reason."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        check_day(day)
        return day


def _no_duplicates(items):
    if len(set(items)) != len(items):
        raise ma.ValidationError("Each item only once, please.")


def StrList(item, max_items=20, **kwargs):
    return fields.List(item, validate=[validate.Length(max=max_items), _no_duplicates], **kwargs)


class MetaFields(ma.Schema):
    """What every record carries (SPEC §4): id, created_at, updated_at, version."""

    id = fields.UUID()
    created_at = Instant(dump_only=True)
    updated_at = Instant(dump_only=True)
    version = fields.Integer(dump_only=True)


class ErrorBody(ma.Schema):
    status = fields.Integer(required=True)
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "On 422 only: messages per field"})


class ErrorSchema(ma.Schema):
    """The one error envelope of the API."""

    error = fields.Nested(ErrorBody, required=True)


def Email(metadata=None, **kwargs):
    return Str(max_length=254, validate=[EMAIL], metadata={"format": "email", **(metadata or {})},
               **kwargs)
