"""Errors that services raise on purpose, and the words of the error envelope.

No Flask here: services and the pure cores raise these; `errors.py` renders
them as the JSON envelope.
"""

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}

MESSAGES = {
    400: "The request body is not valid JSON.",
    401: "Please sign in.",
    403: "This request is not allowed.",
    404: "Nothing here.",
    405: "This method is not allowed here.",
    409: "This conflicts with existing data.",
    413: "The request body is too large (256 KiB at most).",
    415: "Send the body as application/json.",
    422: "Some fields need another look.",
    429: "Too many attempts. Please wait a little and try again.",
    500: "Something went wrong on our side.",
    503: "The service is unavailable right now. Please try again soon.",
}


class ApiError(Exception):
    """An error a service raises on purpose; rendered as the envelope."""

    status = 400
    code = "bad_request"

    headers = None

    def __init__(self, message=None, fields=None, status=None, code=None):
        super().__init__(message or MESSAGES.get(status or self.status, ""))
        self.message = message or MESSAGES.get(status or self.status, "")
        self.fields = fields
        if status:
            self.status = status
        if code:
            self.code = code


class NotFound(ApiError):
    status, code = 404, "not_found"


class Gone(NotFound):
    """A record that was deleted: 404 over REST, `gone` in sync."""
    sync_code = "gone"


class Conflict(ApiError):
    status, code = 409, "conflict"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class WrongPassword(ApiError):
    status, code = 403, "wrong_password"


class Invalid(ApiError):
    status, code = 422, "validation_error"


class RateLimited(ApiError):
    status, code = 429, "rate_limited"

    def __init__(self, retry_after, message=None):
        super().__init__(message)
        self.headers = {"Retry-After": str(int(retry_after))}


def flatten(messages, prefix=""):
    """Turn marshmallow's nested messages into {"dotted.path": [messages]}."""
    if isinstance(messages, (list, tuple)) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": list(messages)}
    if not isinstance(messages, dict):
        return {prefix or "_schema": [str(messages)]}
    flat = {}
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        flat.update(flatten(value, path))
    return flat
