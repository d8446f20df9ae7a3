"""Schemas of GET /api/insights."""
import marshmallow as ma
from marshmallow import fields, validate


class InsightsQuerySchema(ma.Schema):
    weeks = fields.Integer(load_default=12, validate=validate.Range(1, 104))


class WeekSchema(ma.Schema):
    week_start = fields.String(metadata={"description": "Monday, YYYY-MM-DD"})
    applications = fields.Integer()
    rejections = fields.Integer()
    interviews_reached = fields.Integer()
    breaks = fields.Integer()
    outreach = fields.Integer()


class FunnelSchema(ma.Schema):
    application = fields.Integer()
    screening = fields.Integer()
    interview = fields.Integer()
    final_round = fields.Integer()
    offer = fields.Integer()


class MoodDaySchema(ma.Schema):
    date = fields.String()
    mood = fields.Float()


class TotalsSchema(ma.Schema):
    attempts = fields.Integer()
    applications = fields.Integer()
    rejections = fields.Integer()
    responses = fields.Integer()
    silent = fields.Integer()
    lessons = fields.Integer()
    breaks = fields.Integer()
    outreach = fields.Integer()


class GoalSchema(ma.Schema):
    target = fields.Integer()
    done_this_week = fields.Integer()


class ConversionSchema(ma.Schema):
    stage = fields.String(metadata={"description": "A stage after application"})
    reached = fields.Integer(metadata={"description": "Processes that reached this stage"})
    of = fields.Integer(metadata={"description": "Processes that reached the stage before"})


class DaysToResponseSchema(ma.Schema):
    median = fields.Float(allow_none=True, metadata={
        "description": "Median days from applied_on to the first sign of life; null if n is 0"})
    n = fields.Integer()


class HelpSchema(ma.Schema):
    kind = fields.String(metadata={"enum": ["activity", "contact"]})
    key = fields.String(metadata={"description": "A break activity, or a contact's id"})
    readings = fields.Integer()
    mean_change = fields.Float(metadata={"description": "Mean mood change (-4 to 4)"})


class InsightsSchema(ma.Schema):
    weeks = fields.List(fields.Nested(WeekSchema))
    funnel = fields.Nested(FunnelSchema)
    conversion = fields.List(fields.Nested(ConversionSchema))
    days_to_response = fields.Nested(DaysToResponseSchema)
    helps = fields.List(fields.Nested(HelpSchema))
    mood = fields.List(fields.Nested(MoodDaySchema))
    totals = fields.Nested(TotalsSchema)
    goal = fields.Nested(GoalSchema)
