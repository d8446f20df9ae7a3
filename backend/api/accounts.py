"""Register, sign in and sign out."""
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from ..auth import sign_in, sign_out
from ..errors import ApiError
from ..extensions import email_from_body, limiter
from ..schemas.accounts import LoginSchema, RegisterSchema, UserSchema
from ..services import accounts

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Accounts")

BAD_CREDENTIALS = "That email and password don't match an account."


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
    return accounts.profile(user)


@blp.route("/login", methods=["POST"])
@limiter.limit("25 per 5 minutes")
@limiter.limit("25 per hour", key_func=email_from_body)
@blp.doc(security=[{"csrf": []}])
@blp.arguments(LoginSchema)
@blp.response(200, UserSchema)
def login(body):
    """Sign in on this device"""
    user = accounts.authenticate(body["email"], body["password"])
    if user is None:
        raise ApiError(BAD_CREDENTIALS, status=401, code="unauthorized")
    sign_in(user, body.get("device_label"))
    return accounts.profile(user)


@blp.route("/logout", methods=["POST"])
@login_required
@blp.response(204)
def logout():
    """Sign out this device; its cookie stops working"""
    sign_out(current_user)
