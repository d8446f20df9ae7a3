"""Account changes: register, profile and settings, email, password, export, delete.

Services never commit: the view (or CLI command) that calls them does.
"""
from contextlib import contextmanager

from sqlalchemy import delete as sql_delete, select
from sqlalchemy.exc import IntegrityError

from ..exceptions import Conflict, WrongPassword
from ..extensions import db
from ..models import (AppliedMutation, PushSubscription, Session, User, VersionCounter, live,
                      utcnow)
from ..nudges import reconcile
from ..schemas.accounts import UserSchema
from ..settings import merge_settings, settings_of
from . import sessions
from .entities import ENTITIES
from .passwords import hash_password, verify_password


def normalize_email(email):
    return email.strip().lower()


def find_by_email(email):
    return db.session.execute(
        select(User).where(User.email == normalize_email(email))).scalar_one_or_none()


def register(email, password, display_name=None, timezone=None):
    email = normalize_email(email)
    if find_by_email(email) is not None:
        raise Conflict("An account with this email already exists.")
    user = User(email=email, password_hash=hash_password(password), display_name=display_name,
                timezone=timezone or "UTC", settings={})
    db.session.add(user)
    with _email_taken_is_conflict():
        db.session.flush()
    db.session.add(VersionCounter(user_id=user.id, seq=0))
    db.session.flush()
    return user


@contextmanager
def _email_taken_is_conflict():
    """Two sign-ups (or changes) to one email at the same moment both pass the
    look-up; the unique index stops the second, which gets the same 409."""
    try:
        yield
    except IntegrityError as error:
        db.session.rollback()  # the failed flush left the session unusable
        raise Conflict("An account with this email already exists.") from error


def authenticate(email, password):
    """The user for these credentials, or None (similar timing either way)."""
    user = find_by_email(email) if isinstance(email, str) else None
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user else None


def update_profile(user, changes):
    if "display_name" in changes:
        user.display_name = changes["display_name"]
    if "timezone" in changes:
        user.timezone = changes["timezone"]
    if "settings" in changes:
        user.settings = merge_settings(settings_of(user), changes["settings"])
    user.updated_at = utcnow()
    reconcile.mark(user.id)  # timezone, quiet hours, caps and switches change the plan
    return user


def _require_password(user, password):
    if not verify_password(user.password_hash, password):
        raise WrongPassword("That is not your current password.")


def change_email(user, new_email, current_password):
    _require_password(user, current_password)
    new_email = normalize_email(new_email)
    other = find_by_email(new_email)
    if other is not None and other.id != user.id:
        raise Conflict("An account with this email already exists.")
    user.email, user.updated_at = new_email, utcnow()
    with _email_taken_is_conflict():
        db.session.flush()
    return user


def change_password(user, current_password, new_password):
    """Set a new password and sign out every other device."""
    _require_password(user, current_password)
    set_password(user, new_password, keep_current=True)


def set_password(user, new_password, keep_current=False):
    user.password_hash = hash_password(new_password)
    user.updated_at = utcnow()
    if keep_current:
        sessions.end_others(user)
    else:
        db.session.execute(sql_delete(Session).where(Session.user_id == user.id))


def delete_account(user, password):
    """Remove the user and every row that belongs to them, after the password check."""
    _require_password(user, password)
    remove(user)


def remove(user):
    """Remove the user and every row that belongs to them (no questions asked: for
    account deletion and the operator's demo account)."""
    user_id = user.id
    tables = [ENTITIES[name].model for name in
              ("rejections", "outreach", "nudges", "checkins", "breaks", "contacts",
               "applications")] + [PushSubscription, AppliedMutation, Session, VersionCounter]
    for model in tables:
        db.session.execute(sql_delete(model).where(model.user_id == user_id))
    db.session.execute(sql_delete(User).where(User.id == user_id))


def export(user):
    """Every record of the user as one JSON-ready document."""
    document = {"exported_at": utcnow().isoformat(), "user": UserSchema().dump(profile(user))}
    for name, ent in ENTITIES.items():
        rows = db.session.execute(
            live(ent.model, user.id).order_by(ent.model.created_at)).scalars()
        document[name] = ent.schema.dump(rows, many=True)
    subscriptions = db.session.execute(
        select(PushSubscription).where(PushSubscription.user_id == user.id)).scalars()
    document["push_subscriptions"] = [
        {"device_label": p.device_label, "endpoint": p.endpoint,
         "created_at": p.created_at.isoformat()} for p in subscriptions]
    document["devices"] = [{**d, "id": str(d["id"]), "created_at": d["created_at"].isoformat(),
                            "last_seen_at": d["last_seen_at"].isoformat()}
                           for d in sessions.list_for(user)]
    return document


def profile(user):
    return {"id": user.id, "email": user.email, "display_name": user.display_name,
            "timezone": user.timezone, "settings": settings_of(user),
            "created_at": user.created_at}

