"""SQLAlchemy models. The schema itself is made only by migrations/."""
from .base import UTCDateTime, utcnow
from .queries import among, live
from .push import AppliedMutation, PushSubscription
from .records import Application, Break, Checkin, Contact, Nudge, Outreach, Rejection
from .user import Session, User, VersionCounter

__all__ = [
    "Application", "AppliedMutation", "Break", "Checkin", "Contact", "Nudge", "Outreach",
    "PushSubscription", "Rejection", "Session", "User", "UTCDateTime", "VersionCounter",
    "among", "live", "utcnow",
]
