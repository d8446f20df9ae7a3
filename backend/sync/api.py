"""POST /api/sync: the blueprint only parses, calls the sync service and answers."""
from flask import jsonify, request
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from ..exceptions import Invalid
from ..extensions import db
from ..schemas import ErrorSchema
from .protocol import SyncRequestSchema, SyncResponseSchema
from .service import pull_since, push

blp = Blueprint("sync", __name__, url_prefix="/api/sync",
                description="Multi-device sync: push mutations, pull changes (docs/sync.md)")


@blp.route("", methods=["POST"])
@login_required
@blp.arguments(SyncRequestSchema)
@blp.response(200, SyncResponseSchema)
@blp.alt_response(422, schema=ErrorSchema,
                  description="The whole request is refused; nothing was applied.")
def post_sync(body):
    """Apply mutations in order, then pull every change after the cursor"""
    if not isinstance(request.get_json(silent=True), dict):
        # webargs lets an empty or null body through as {}; it is not an object.
        raise Invalid(fields={"_schema": ["The body must be a JSON object."]})
    user = current_user._get_current_object()
    user_id = user.id  # read before the commit expires the user
    applied, rejected = push(user, body["cursor"], body["mutations"])
    if body["mutations"]:
        db.session.commit()  # the writes are one unit of work; the pull reads what committed
    result = {"applied": applied, "rejected": rejected,
              **pull_since(user_id, body["cursor"], body["limit"])}
    # Already plain JSON data (fast serializer): skip a second marshmallow dump.
    return jsonify(result)
