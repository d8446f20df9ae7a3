"""Request checks that run before routing and login, and headers on every response."""
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from .config import MAX_BODY_BYTES
from .errors import envelope, is_api_path

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])


def check_api_request():
    """CSRF, body size and media type: checked before the session is even read."""
    if not is_api_path(request.path):
        return None
    if request.method in STATE_CHANGING and request.headers.get("X-Requested-With") != "rebound":
        return envelope(403, "csrf", "Missing the X-Requested-With: rebound header.")
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return None
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        return envelope(413)
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if chunked:
        # Werkzeug silently cuts a chunked body at the limit; read one byte past it.
        request.max_content_length = MAX_BODY_BYTES + 1
        try:
            length = len(request.get_data(cache=True))
        except RequestEntityTooLarge:
            return envelope(413)
        if length > MAX_BODY_BYTES:
            return envelope(413)
    if length and request.mimetype != "application/json":
        return envelope(415)
    if length and _nested_too_deeply():
        return envelope(400, message="The request body is nested too deeply.")
    return None


def _nested_too_deeply():
    """Python's JSON parser raises RecursionError, not ValueError, past about 1,000 levels
    (a 2 KiB body), and neither webargs nor Flask catches that: it would be a 500. So parse
    once here; malformed JSON is left to the parser's usual 400."""
    try:
        request.get_json(silent=True)
    except RecursionError:
        return True
    return False


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if _hsts_enabled():
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    if is_api_path(request.path):
        headers["Cache-Control"] = "no-store"
    return response


def _hsts_enabled():
    from flask import current_app

    return current_app.config.get("HSTS", False)


def register_security(app):
    app.before_request(check_api_request)
    app.after_request(add_security_headers)
