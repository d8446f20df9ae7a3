"""Password reset by email (SPEC §4): a signed link, valid for 1 hour, used once.

The token carries the user's id and a fingerprint of their current password
hash, signed with the app's secret. Setting a new password changes the hash,
so a used link (and every other link sent before it) stops working; no table
is needed.
"""
import hashlib
import uuid

from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import mail
from ..exceptions import Invalid
from ..extensions import db
from ..models import User
from . import accounts

MAX_AGE_SECONDS = 60 * 60
SALT = "rebound-password-reset"


def _serializer(secret_key):
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def _fingerprint(password_hash):
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def token_for(secret_key, user):
    return _serializer(secret_key).dumps({"user": str(user.id),
                                          "password": _fingerprint(user.password_hash)})


def user_for(secret_key, token):
    """The user this token may reset, or None when it is forged, expired or used."""
    try:
        claims = _serializer(secret_key).loads(token, max_age=MAX_AGE_SECONDS)
        user_id = uuid.UUID(claims["user"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id)
    if user is None or claims.get("password") != _fingerprint(user.password_hash):
        return None
    return user


def send_link(app, email, link_base):
    """Mail a reset link when an account has this email; silently nothing otherwise.
    The mail leaves on a thread, so the caller's answer takes as long either way."""
    user = accounts.find_by_email(email)
    if user is None:
        return
    token = token_for(app.config["SECRET_KEY"], user)
    link = f"{link_base.rstrip('/')}/reset-password#token={token}"
    text = (
        "Hello,\n\n"
        "Someone (we hope you) asked to set a new password for your Rebound account.\n"
        f"To choose one, open this link within the next hour:\n\n{link}\n\n"
        "The link works once. If you did not ask for this, you can ignore this email;\n"
        "your password stays as it is.\n\n"
        "Rebound\n")
    mail.send_later(app, mail.message(app.config, user.email, "Set a new Rebound password", text))


def confirm(secret_key, token, new_password):
    """Set the new password and end every session, or refuse an expired, used or forged token."""
    user = user_for(secret_key, token)
    if user is None:
        raise Invalid("This link has expired or was already used. Ask for a new one.",
                      fields={"token": ["This link has expired or was already used."]})
    accounts.set_password(user, new_password)
