"""Flask-Login wiring: the cookie carries a session secret, looked up per request."""
from flask import request, session
from flask_login import current_user, login_user, logout_user

from .exceptions import ApiError
from .extensions import db, login_manager
from .models import utcnow
from .services import sessions


def init_login(app):
    login_manager.init_app(app)
    # "strong" protection would sign a phone out whenever its IP changes.
    login_manager.session_protection = None
    login_manager.user_loader(load_user)

    @login_manager.unauthorized_handler
    def unauthorized():
        raise ApiError(status=401, code="unauthorized")


def load_user(token):
    """Flask-Login's loader: the live session's user, or None.

    The once-a-minute `last_seen_at` touch is bookkeeping, committed here in its
    own short transaction (the loader runs before a view starts writing)."""
    now = utcnow()
    row, user = sessions.find(token, now)
    if row is None:
        return None
    if sessions.needs_touch(row, now):
        sessions.touch(row, now)
        db.session.commit()
    _refresh_cookie_daily(now)
    return user


def _refresh_cookie_daily(now):
    """The cookie's 30 days restart from its last use, but re-signing and sending it on
    every response costs every request: once a day is enough to keep it alive. (Any
    change to the session makes Flask send it; setting `permanent` again counts.)"""
    if not session.permanent:
        session.permanent = True
    today = now.date().isoformat()
    if session.get("refreshed") != today:
        session["refreshed"] = today


def sign_in(user, device_label):
    """Open a new server-side session for `user` and put its secret in the cookie
    (the view commits)."""
    if current_user.is_authenticated:
        sessions.end(current_user.current_session)  # this device switches accounts
    label = device_label or sessions.device_from_user_agent(request.user_agent.string)
    token = sessions.start(user, label)
    session.clear()
    _refresh_cookie_daily(utcnow())
    login_user(user)
    return token


def sign_out(user):
    sessions.end(user.current_session)
    logout_user()
    session.clear()
