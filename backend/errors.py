"""The one JSON error envelope of the API.

Every error under /api answers
``{"error": {"status": 422, "code": "validation_error", "message": "...",
"fields": {"company": ["Missing data for required field."]}}}``
with the matching HTTP status; ``fields`` appears on 422 only, keyed by field
name (dotted for nested fields, ``_schema`` for the whole body).
"""
import logging

import marshmallow as ma
from flask import jsonify, request
from flask_smorest import Api
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import InternalServerError

from .exceptions import CODES, MESSAGES, ApiError, flatten
from .schemas.common import ErrorSchema

log = logging.getLogger(__name__)


def is_api_path(path):
    """/api and everything under /api/ (but not /apiary: that is the app's)."""
    return path == "/api" or path.startswith("/api/")


def envelope(status, code=None, message=None, fields=None, headers=None):
    body = {"status": status, "code": code or CODES.get(status, "error"),
            "message": message or MESSAGES.get(status, "Error.")}
    if status == 422:
        body["fields"] = fields or {"_schema": [body["message"]]}
    response = jsonify({"error": body})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _strip_location(messages):
    # webargs nests messages under the request location ({"json": {...}}).
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "querystring",
                                                        "view_args", "form", "headers"}:
        merged = {}
        for value in messages.values():
            if isinstance(value, dict):
                merged.update(value)
            else:
                merged.setdefault("_schema", []).extend(value)
        return merged
    return messages


class JsonApi(Api):
    """flask-smorest's Api with our envelope for every HTTP error."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        if error.code == 500 and isinstance(error, InternalServerError):
            original = getattr(error, "original_exception", None)
            if isinstance(original, OperationalError):
                return envelope(503)
            if original is not None:
                log.error("Unhandled error", exc_info=original)
        if not is_api_path(request.path) and error.code == 404:
            return error  # the frontend's own 404 handling (see frontend blueprint)
        data = getattr(error, "data", None) or {}
        fields = None
        message = data.get("message")
        messages = data.get("errors") or data.get("messages")
        if error.code == 400 and messages:
            message = MESSAGES[400]
        elif messages:
            fields = flatten(_strip_location(messages))
        if error.code not in (400, 422) and not message:
            message = MESSAGES.get(error.code) or error.description
        headers = dict(data.get("headers") or {})
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        return envelope(error.code or 500, message=message, fields=fields, headers=headers)


def register_error_handlers(app):
    @app.errorhandler(ApiError)
    def handle_api_error(error):
        return envelope(error.status, error.code, error.message, error.fields, error.headers)

    @app.errorhandler(ma.ValidationError)
    def handle_validation_error(error):
        return envelope(422, fields=flatten(error.normalized_messages()))

    @app.errorhandler(OperationalError)
    def handle_database_down(error):
        log.error("Database error", exc_info=error)
        return envelope(503)
