"""Web push endpoints (the subscriptions and test send come with the push issue)."""
from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..push.keys import public_key

blp = Blueprint("push", __name__, url_prefix="/api/push", description="Web push")


class PublicKeySchema(Schema):
    public_key = fields.String(metadata={"description": "base64url, 65-byte P-256 point"})


@blp.route("/public-key")
@blp.doc(security=[])
@blp.response(200, PublicKeySchema)
def get_public_key():
    """Give the VAPID public key for PushManager.subscribe"""
    return {"public_key": public_key(current_app)}
