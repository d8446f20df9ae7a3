"""The signed-in user: profile, settings, email, password, devices, export, deletion."""
import json

from flask import Response
from flask_login import current_user, login_required, logout_user
from flask_smorest import Blueprint

from ..exceptions import NotFound
from ..extensions import db
from ..rate_limits import count_password_check
from ..schemas.accounts import (DeleteAccountSchema, DeviceSessionSchema, EmailChangeSchema,
                                PasswordChangeSchema, ProfilePatchSchema, UserSchema)
from ..services import accounts, sessions

blp = Blueprint("me", __name__, url_prefix="/api/me", description="The signed-in user")


@blp.route("", methods=["GET"])
@login_required
@blp.response(200, UserSchema)
def get_me():
    """Show the signed-in user"""
    return accounts.profile(current_user)


@blp.route("", methods=["PATCH"])
@login_required
@blp.arguments(ProfilePatchSchema)
@blp.response(200, UserSchema)
def patch_me(changes):
    """Change name, timezone or settings (settings merge key by key)"""
    user = accounts.update_profile(current_user, changes)
    db.session.commit()
    return accounts.profile(user)


@blp.route("", methods=["DELETE"])
@login_required
@blp.arguments(DeleteAccountSchema)
@blp.response(204)
def delete_me(body):
    """Delete the account and everything in it"""
    count_password_check(current_user)
    accounts.delete_account(current_user, body["password"])
    db.session.commit()
    logout_user()


@blp.route("/email", methods=["POST"])
@login_required
@blp.arguments(EmailChangeSchema)
@blp.response(200, UserSchema)
def change_email(body):
    """Change the sign-in email"""
    count_password_check(current_user)
    user = accounts.change_email(current_user, body["new_email"], body["current_password"])
    db.session.commit()
    return accounts.profile(user)


@blp.route("/password", methods=["POST"])
@login_required
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
def change_password(body):
    """Change the password; every other device is signed out"""
    count_password_check(current_user)
    accounts.change_password(current_user, body["current_password"], body["new_password"])
    db.session.commit()


@blp.route("/export", methods=["GET"])
@login_required
@blp.response(200, content_type="application/json",
              description="Every record of the user as one JSON document.")
def export():
    """Download everything as one JSON file"""
    document = accounts.export(current_user)
    return Response(json.dumps(document, indent=2), mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="rebound-export.json"'})


@blp.route("/sessions", methods=["GET"])
@login_required
@blp.response(200, DeviceSessionSchema(many=True))
def list_sessions():
    """List the devices signed in to this account"""
    return sessions.list_for(current_user)


@blp.route("/sessions", methods=["DELETE"])
@login_required
@blp.response(204)
def revoke_other_sessions():
    """Sign out every device but this one"""
    sessions.end_others(current_user)
    db.session.commit()


@blp.route("/sessions/<uuid:session_id>", methods=["DELETE"])
@login_required
@blp.response(204)
def revoke_session(session_id):
    """Sign out one device"""
    if not sessions.revoke(current_user, session_id):
        raise NotFound()
    db.session.commit()
