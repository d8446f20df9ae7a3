"""GET /api/insights: the numbers behind the insights screen."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_login import current_user, login_required
from flask_smorest import Blueprint
from .. import insights
from ..extensions import db
from ..models import live
from ..schemas.insights import InsightsQuerySchema, InsightsSchema
from ..services.entities import ENTITIES
from ..settings import settings_of

blp = Blueprint("insights", __name__, url_prefix="/api/insights", description="Insights")

COLUMNS = {
    "applications": ("id", "applied_on", "status", "status_changed_on"),
    "rejections": ("application_id", "stage", "received_on", "mood", "lessons"),
    "breaks": ("started_at", "ended_at", "mood_before", "mood_after", "activities"),
    "outreach": ("at", "mood_after", "contact_id"),
    "checkins": ("at", "mood"),
}


@blp.route("")
@login_required
@blp.arguments(InsightsQuerySchema, location="query")
@blp.response(200, InsightsSchema)
def get_insights(query):
    """Show weekly counts, the funnel, conversion, days to a response, the mood trend,
    what helps, totals and the weekly goal"""
    user = current_user
    data = {name: _rows(name, columns, user.id) for name, columns in COLUMNS.items()}
    today = datetime.now(ZoneInfo(user.timezone)).date()
    settings = settings_of(user)
    return insights.compute(data, today, user.timezone, query["weeks"],
                            settings["weekly_application_goal"],
                            settings.get("ghost_after_days", 30))


def _rows(name, columns, user_id):
    result = db.session.execute(live(ENTITIES[name].model, user_id, *columns))
    return [dict(zip(columns, row)) for row in result]
