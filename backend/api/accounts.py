"""Register, sign in and sign out."""
from flask import Response, current_app
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from .. import mail
from ..auth import sign_in, sign_out
from ..exceptions import ApiError, NotFound
from ..extensions import db, limiter
from ..rate_limits import count_failed_login, email_from_body
from ..schemas.accounts import (LoginSchema, RegisterSchema, ResetConfirmSchema,
                                ResetRequestSchema, UserSchema)
from ..services import accounts, password_reset

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Accounts")

BAD_CREDENTIALS = "That email and password don’t match an account."


@blp.route("/register", methods=["POST"])
@limiter.limit("5 per 30 minutes")
@blp.doc(security=[{"csrf": []}])
@blp.arguments(RegisterSchema)
@blp.response(201, UserSchema)
def register(body):
    """Create an account and sign in on this device"""
    user = accounts.register(body["email"], body["password"], body.get("display_name"),
                             body.get("timezone"))
    sign_in(user, body.get("device_label"))
    db.session.commit()
    return accounts.profile(user)


@blp.route("/login", methods=["POST"])
@limiter.limit("25 per 5 minutes")
@blp.doc(security=[{"csrf": []}])
@blp.arguments(LoginSchema)
@blp.response(200, UserSchema)
def login(body):
    """Sign in on this device"""
    user = accounts.authenticate(body["email"], body["password"])
    if user is None:
        count_failed_login(body["email"])  # 429 past 25 an hour; a right password passes
        raise ApiError(BAD_CREDENTIALS, status=401, code="unauthorized")
    sign_in(user, body.get("device_label"))
    db.session.commit()
    return accounts.profile(user)


@blp.route("/logout", methods=["POST"])
@login_required
@blp.response(204)
def logout():
    """Sign out this device; its cookie stops working"""
    sign_out(current_user)
    db.session.commit()


def _require_mail():
    if not mail.configured(current_app.config):
        raise NotFound("Password reset by email is not set up on this server; "
                       "whoever runs it can set a new password for you.")


@blp.route("/reset", methods=["POST"])
@limiter.limit("10 per 5 minutes")
@limiter.limit("5 per hour", key_func=email_from_body)
@blp.doc(security=[{"csrf": []}])
@blp.arguments(ResetRequestSchema)
@blp.response(202)
def request_reset(body):
    """Email a link to set a new password (202 whether or not the account exists)"""
    _require_mail()
    password_reset.send_link(current_app._get_current_object(), body["email"],
                             current_app.config["PUBLIC_URL"])  # never the Host header
    return Response(status=202)  # no body, the same for every email


@blp.route("/reset/confirm", methods=["POST"])
@limiter.limit("25 per 5 minutes")
@blp.doc(security=[{"csrf": []}])
@blp.arguments(ResetConfirmSchema)
@blp.response(204)
def confirm_reset(body):
    """Set a new password with the emailed link; every device is signed out"""
    _require_mail()
    password_reset.confirm(current_app.config["SECRET_KEY"], body["token"], body["new_password"])
    db.session.commit()
