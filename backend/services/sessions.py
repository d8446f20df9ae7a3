"""Server-side sessions: one row per signed-in device, found by the hash of its secret.

Like every service, these never commit; the request does."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, delete, select

from ..extensions import db
from ..models import Session, User, utcnow

LIFETIME = timedelta(days=30)
TOUCH_EVERY = timedelta(minutes=1)


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def device_from_user_agent(user_agent):
    """A short, human label such as "Chrome on Android" for the devices list."""
    ua = user_agent or ""
    browser = next((name for key, name in (
        ("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
    ) if key in ua), None)
    system = next((name for key, name in (
        ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
        ("Mac OS X", "Mac"), ("Linux", "Linux"),
    ) if key in ua), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"


def start(user, device_label=None):
    token = secrets.token_urlsafe(32)
    row = Session(token_hash=_hash(token), user_id=user.id, device_label=device_label)
    db.session.add(row)
    db.session.flush()
    user.session_token = token
    user.current_session = row
    return token


# One select for the session and its user, built once: this runs on every signed-in
# request, and building it cost more than running it.
_FIND = (select(Session, User).join(User, User.id == Session.user_id)
         .where(Session.token_hash == bindparam("token_hash")))


def find(token, now):
    """The live session row for this cookie secret and its user, or (None, None)."""
    if not isinstance(token, str) or not token:
        return None, None
    found = db.session.execute(_FIND, {"token_hash": _hash(token)}).first()
    if found is None or found.Session.last_seen_at < now - LIFETIME:
        return None, None
    row, user = found.Session, found.User
    user.session_token = token
    user.current_session = row
    return row, user


def needs_touch(row, now):
    """`last_seen_at` is refreshed at most once a minute: it keeps the 30 days rolling."""
    return row.last_seen_at < now - TOUCH_EVERY


def touch(row, now):
    row.last_seen_at = now


def end(row):
    if row is not None:
        db.session.execute(delete(Session).where(Session.id == row.id))


def end_others(user):
    current = user.current_session.id if user.current_session else None
    db.session.execute(delete(Session).where(Session.user_id == user.id, Session.id != current))


def list_for(user):
    rows = db.session.execute(
        select(Session).where(Session.user_id == user.id,
                              Session.last_seen_at >= utcnow() - LIFETIME)
        .order_by(Session.last_seen_at.desc())).scalars()
    current = user.current_session.id if user.current_session else None
    return [{"id": r.id, "device_label": r.device_label, "created_at": r.created_at,
             "last_seen_at": r.last_seen_at, "current": r.id == current} for r in rows]


def revoke(user, session_id):
    """Sign one of the user's devices out; False when it is not theirs."""
    result = db.session.execute(
        delete(Session).where(Session.user_id == user.id, Session.id == session_id))
    return result.rowcount > 0
