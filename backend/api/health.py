"""GET /api/health: is the app up, and can it reach its database?"""
from flask_smorest import Blueprint
from sqlalchemy import text

from ..extensions import db
from ..schemas.accounts import HealthSchema

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Liveness")


@blp.route("")
@blp.doc(security=[])
@blp.response(200, HealthSchema)
def health():
    """Report whether the app and its database answer"""
    db.session.execute(text("SELECT 1"))  # a failure becomes 503 (errors.py)
    return {"status": "ok", "database": "ok"}
