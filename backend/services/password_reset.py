"""Password reset by email (SPEC §4): a signed link, valid for 1 hour, used once.

The token carries the user's id and fingerprints of their current password
hash and email, signed with the app's secret. Setting a new password changes
the hash, so a used link (and every other link sent before it) stops working;
changing the email kills links mailed to the old address; no table is needed.
"""
import hashlib
import uuid
from types import SimpleNamespace

from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import mail
from ..exceptions import Invalid
from ..extensions import db
from ..models import User
from . import accounts

MAX_AGE_SECONDS = 60 * 60
SALT = "rebound-password-reset"
# Who a link is made for when no account has the email: the same work is done
# either way (a token, a message, a mail thread), so timing tells nothing.
_NOBODY = SimpleNamespace(id=uuid.UUID(int=0), email="nobody@example.invalid",
                          password_hash="$argon2id$v=19$m=19456,t=2,p=1$nobody")


def _serializer(secret_key):
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def _fingerprint(text):
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def token_for(secret_key, user):
    return _serializer(secret_key).dumps({"user": str(user.id),
                                          "password": _fingerprint(user.password_hash),
                                          "email": _fingerprint(user.email)})


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
    if claims.get("email") != _fingerprint(user.email):
        return None  # mailed to an address the account no longer has
    return user


def send_link(app, email, link_base):
    """Mail a reset link when an account has this email; silently nothing otherwise.
    Both cases do the same work and the mail leaves on a thread, so the caller's
    answer takes as long either way."""
    user = accounts.find_by_email(email)
    recipient = user or _NOBODY
    token = token_for(app.config["SECRET_KEY"], recipient)
    link = f"{link_base.rstrip('/')}/reset-password#token={token}"
    text = (
        "Hello,\n\n"
        "Someone (we hope you) asked to set a new password for your Rebound account.\n"
        f"To choose one, open this link within the next hour:\n\n{link}\n\n"
        "The link works once. If you did not ask for this, you can ignore this email;\n"
        "your password stays as it is.\n\n"
        "Rebound\n")
    message = mail.message(app.config, recipient.email, "Set a new Rebound password", text)
    mail.send_later(app, message if user else None)


def confirm(secret_key, token, new_password):
    """Set the new password and end every session, or refuse an expired, used or forged token."""
    user = user_for(secret_key, token)
    if user is None:
        raise Invalid("This link has expired or was already used. Ask for a new one.",
                      fields={"token": ["This link has expired or was already used."]})
    accounts.set_password(user, new_password)
