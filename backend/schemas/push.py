"""Schemas of the push endpoints."""
import marshmallow as ma
from flask import current_app
from marshmallow import fields

from ..push.endpoints import MAX_ENDPOINT, auth_problem, endpoint_problem, p256dh_problem
from .common import Instant, Str


def _check(problem):
    def validator(value):
        message = problem(value)
        if message:
            raise ma.ValidationError(message)
    return validator


def _check_endpoint(value):
    if len(value) > MAX_ENDPOINT:
        return  # the field's Length check says so already
    message = endpoint_problem(value, current_app.config.get("PUSH_ALLOW_HTTP", False))
    if message:
        raise ma.ValidationError(message)


class PublicKeySchema(ma.Schema):
    public_key = fields.String(metadata={"description": "base64url, 65-byte P-256 point"})


class SubscriptionKeysSchema(ma.Schema):
    p256dh = Str(required=True, max_length=200, validate=[_check(p256dh_problem)])
    auth = Str(required=True, max_length=100, validate=[_check(auth_problem)])


class SubscriptionSchema(ma.Schema):
    endpoint = Str(required=True, max_length=MAX_ENDPOINT, validate=[_check_endpoint],
                   metadata={"description": "The push service's URL: ASCII, https, public"})
    keys = fields.Nested(SubscriptionKeysSchema, required=True)
    device_label = Str(allow_none=True)


class SubscriptionOutSchema(ma.Schema):
    id = fields.UUID()
    endpoint = fields.String()
    device_label = fields.String(allow_none=True)
    created_at = Instant()


class UnsubscribeSchema(ma.Schema):
    endpoint = Str(required=True, max_length=2000)


class TestSendSchema(ma.Schema):
    devices = fields.Integer(metadata={"description": "Subscriptions tried"})
    delivered = fields.Integer(metadata={"description": "Accepted by their push service"})
