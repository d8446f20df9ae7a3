"""Rate limits beyond the per-route decorators (SPEC §4), on Flask-Limiter's storage.

Flask-Limiter's decorators count every request before the view runs. Two
limits need the view's knowledge: failed logins per email (a correct
password is never counted and never blocked, so a stranger cannot lock an
owner out) and current-password checks per signed-in user.
"""
import math
import time

from flask import current_app, request
from limits import parse

from .exceptions import RateLimited
from .extensions import limiter

FAILED_LOGINS_PER_EMAIL = parse("25 per hour")
PASSWORD_CHECKS_PER_USER = parse("10 per hour")


def email_from_body():
    """Rate-limit key for per-email limits (lower-cased, as stored)."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return "email:" + (email.strip().lower() if isinstance(email, str) else "")


def count_failed_login(email):
    """Count a wrong password for this email; RateLimited past 25 in an hour."""
    key = email.strip().lower() if isinstance(email, str) else ""
    _hit(FAILED_LOGINS_PER_EMAIL, "failed-login", key)


def count_password_check(user):
    """Count a current-password check (email change, password change, deletion)."""
    _hit(PASSWORD_CHECKS_PER_USER, "password-check", str(user.id))


def _hit(item, *key):
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    strategy = limiter.limiter
    if not strategy.hit(item, *key):
        reset_at, _remaining = strategy.get_window_stats(item, *key)
        raise RateLimited(retry_after=max(1, math.ceil(reset_at - time.time())))
