"""Request checks that run before routing and login, and headers on every response."""
import json

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import MAX_BODY_BYTES
from .errors import envelope, is_api_path

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
MAX_INTEGER_DIGITS = 18  # SPEC §4: a longer integer in a body is a 400

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
    if length:
        problem = _json_body_problem(request.get_data(cache=True))
        if problem:
            return envelope(400, message=problem)
    return None


class _LongInteger(Exception):
    pass


def _bounded_int(text):
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _LongInteger()
    return int(text)


def _json_body_problem(body):
    """What the JSON parsers downstream would turn into a 500, found by parsing once here:
    nesting past about 1,000 levels (a 2 KiB body) raises RecursionError, and an integer
    past Python's 4,300-digit limit a ValueError that webargs does not catch. Integers are
    held to 18 digits (SPEC §4). Malformed JSON is left to the parser's usual 400."""
    try:
        json.loads(body, parse_int=_bounded_int)
    except RecursionError:
        return "The request body is nested too deeply."
    except _LongInteger:
        return f"Numbers in the body may have at most {MAX_INTEGER_DIGITS} digits."
    except ValueError:
        return None
    return None


def _is_subresource(response):
    """A stylesheet, script module, image or manifest of the shell: the browser
    ignores the document policies on those (CSP binds documents and workers), so
    sending them on ~40 files would only cost a first visit ~13 KB."""
    return (not is_api_path(request.path) and request.path != "/sw.js"
            and response.mimetype != "text/html")


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if not _is_subresource(response):
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if _hsts_enabled():
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    if is_api_path(request.path):
        headers["Cache-Control"] = "no-store"
    return response


def _hsts_enabled():
    return current_app.config.get("HSTS", False)


def register_security(app):
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        # Behind a router the socket's address is the router's: take the client from
        # X-Forwarded-For, trusting exactly `hops` proxies (more would let a client
        # pick its own address, and so its own rate-limit bucket).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.before_request(check_api_request)
    app.after_request(add_security_headers)
