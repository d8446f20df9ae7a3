"""The user's synced records (SPEC §4). Every class here is a sync entity."""
import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import SyncedMixin, UTCDateTime


def _user_version_index(table, *live_indexes):
    return (Index(f"ix_{table}_user_version", "user_id", "version"), *live_indexes)


def _live(table, *columns):
    """An index of a user's live rows (tombstones left out) by `columns`: how reconcile
    reads only the days the nudge rules look at (docs/nudges.md)."""
    where = text("deleted_at IS NULL")
    return Index(f"ix_{table}_user_{'_'.join(columns)}", "user_id", *columns,
                 sqlite_where=where, postgresql_where=where)


def _list_order(table, *columns):
    """The index of GET /api/<table>'s order (newest first: `columns`, then created_at
    and id, all read backwards) over a user's live rows: page 1 reads 50 index entries,
    not a sort of the whole account. Reconcile's range reads on the first column use it
    too."""
    where = text("deleted_at IS NULL")
    return Index(f"ix_{table}_user_list", "user_id", *columns, "created_at", "id",
                 sqlite_where=where, postgresql_where=where)


class Application(SyncedMixin, db.Model):
    __tablename__ = "applications"
    __table_args__ = _user_version_index("applications",
                                         _list_order("applications", "applied_on"),
                                         _live("applications", "status_changed_on"))

    company: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    source: Mapped[str | None] = mapped_column(String(200))
    applied_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="applied")
    status_changed_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class Rejection(SyncedMixin, db.Model):
    __tablename__ = "rejections"
    __table_args__ = _user_version_index("rejections",
                                         _list_order("rejections", "received_on"),
                                         _live("rejections", "feedback_requested_on"))

    company: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    application_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("applications.id", ondelete="SET NULL"))
    stage: Mapped[str | None] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    mood: Mapped[int | None] = mapped_column(Integer)
    emotions: Mapped[list] = mapped_column(JSON, default=list)
    feelings: Mapped[str | None] = mapped_column(Text)
    feedback_status: Mapped[str] = mapped_column(String(20), default="not_requested")
    feedback_requested_on: Mapped[date | None] = mapped_column(Date)
    feedback: Mapped[str | None] = mapped_column(Text)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    went_well: Mapped[str | None] = mapped_column(Text)
    do_differently: Mapped[str | None] = mapped_column(Text)
    lessons: Mapped[str | None] = mapped_column(Text)
    thinking_traps: Mapped[list] = mapped_column(JSON, default=list)
    reframe: Mapped[str | None] = mapped_column(Text)


class Break(SyncedMixin, db.Model):
    __tablename__ = "breaks"
    __table_args__ = _user_version_index(
        "breaks", _list_order("breaks", "started_at"), _live("breaks", "ended_at"))

    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    planned_end_on: Mapped[date | None] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activities: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    mood_before: Mapped[int | None] = mapped_column(Integer)
    mood_after: Mapped[int | None] = mapped_column(Integer)


class Contact(SyncedMixin, db.Model):
    __tablename__ = "contacts"
    __table_args__ = _user_version_index("contacts", _list_order("contacts"))

    name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str | None] = mapped_column(String(20))
    handle: Mapped[str | None] = mapped_column(String(200))
    check_in_every_days: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)


class Checkin(SyncedMixin, db.Model):
    __tablename__ = "checkins"
    __table_args__ = _user_version_index("checkins", _list_order("checkins", "at"))

    at: Mapped[datetime] = mapped_column(UTCDateTime)
    mood: Mapped[int] = mapped_column(Integer)
    emotions: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)


class Outreach(SyncedMixin, db.Model):
    __tablename__ = "outreach"
    __table_args__ = _user_version_index(
        "outreach", _list_order("outreach", "at"), _live("outreach", "contact_id", "at"))

    contact_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("contacts.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    mood_after: Mapped[int | None] = mapped_column(Integer)


class Nudge(SyncedMixin, db.Model):
    """A planned reminder. Written by the server; clients only mark it."""

    __tablename__ = "nudges"
    __table_args__ = (
        Index("ix_nudges_user_version", "user_id", "version"),
        # The claim's: only the nudges still to send (migration 0007).
        Index("ix_nudges_due_scheduled", "due_at", sqlite_where=text("status = 'scheduled'"),
              postgresql_where=text("status = 'scheduled'")),
        # Reconcile reads a user's scheduled nudges and those sent in the last weeks.
        Index("ix_nudges_user_status_sent", "user_id", "status", "sent_at"),
        _list_order("nudges", "due_at"),
        # One row per planned nudge and user: reconcile reuses it (nudges are never tombstoned).
        Index("uq_nudges_user_dedupe", "user_id", "dedupe_key", unique=True),
    )

    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(500))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Internal to the planner and dispatcher; never sent to clients.
    dedupe_key: Mapped[str] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
