"""Configuration profiles, chosen by REBOUND_ENV (development, production, testing).

On top of the profile, Flask reads any `FLASK_*` variable
(`FLASK_RATELIMIT_ENABLED=false`), and DATABASE_URL picks the database.
"""
import os
import secrets
from datetime import timedelta

import orjson

MAX_BODY_BYTES = 256 * 1024


class Base:
    # JSON columns read back with orjson: ~5x faster than json.loads on every list and pull.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "json_deserializer": orjson.loads}
    MAX_CONTENT_LENGTH = MAX_BODY_BYTES
    JSON_SORT_KEYS = False

    # Cookie session: a permanent cookie refreshed on use (once a day), so a phone
    # stays signed in for 30 days after its last use.
    SESSION_COOKIE_NAME = "rebound_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_REFRESH_EACH_REQUEST = False  # auth.load_user refreshes it once a day
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    REMEMBER_COOKIE_NAME = "rebound_remember_unused"

    # flask-smorest / OpenAPI
    API_TITLE = "Rebound API"
    API_VERSION = "1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "security": [{"session": [], "csrf": []}],
        "info": {"description": "JSON API of Rebound. Errors always use one envelope: "
                 '{"error": {"status", "code", "message", "fields"?}}.'},
    }

    # Flask-Limiter: memory by default, Redis when RATELIMIT_STORAGE_URI says so.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"

    # Proxies in front of the app that add X-Forwarded-For/-Proto: exactly this many
    # hops are trusted (0: the client address is the socket's; docs/operations.md).
    TRUSTED_PROXIES = 0

    # Text responses, the app's and the API's, are compressed (Flask-Compress):
    # zstd, br or gzip as the browser asks; a strong ETag gets the encoding's name,
    # and conditional requests are answered against it (304 still works).
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "application/manifest+json", "image/svg+xml"]
    COMPRESS_MIN_SIZE = 500
    COMPRESS_STREAMS = False  # nothing here streams: the shell files are read whole

    HSTS = False
    PUSH_ALLOW_HTTP = False
    VAPID_SUBJECT = "mailto:rebound@example.invalid"
    # Reconcile a user's nudges when a write of theirs commits (docs/nudges.md).
    NUDGES_PLAN_ON_WRITE = True

    # Password reset by email is on only when MAIL_SERVER is set. Links point
    # at PUBLIC_URL (required then in production: never trust the Host header).
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Rebound <no-reply@localhost>"
    PUBLIC_URL = None


class Development(Base):
    # No secret in code: load() makes one in instance/ on first run.
    SECRET_KEY = None


class Testing(Base):
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"
    # The JSON 500 envelope is part of the contract, so let the handlers run.
    PROPAGATE_EXCEPTIONS = False
    # Off so tests that count exact versions see only their own writes;
    # tests/nudges turn it on.
    NUDGES_PLAN_ON_WRITE = False


class Production(Base):
    SESSION_COOKIE_NAME = "__Host-rebound"
    SESSION_COOKIE_SECURE = True
    HSTS = True
    VAPID_SUBJECT = None
    REQUIRED = ("SECRET_KEY", "VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT")


PROFILES = {"development": Development, "testing": Testing, "production": Production}


def load(app, overrides=None):
    """Fill app.config from the profile, the environment, then `overrides`."""
    name = os.environ.get("REBOUND_ENV", "development")
    if overrides and "REBOUND_ENV" in overrides:
        name = overrides["REBOUND_ENV"]
    if name not in PROFILES:
        raise RuntimeError(f"REBOUND_ENV must be one of {sorted(PROFILES)}, not {name!r}")
    app.config.from_object(PROFILES[name])
    app.config["REBOUND_ENV"] = name
    default_db = "sqlite:///" + os.path.join(app.instance_path, "rebound.db")
    url = os.environ.get("DATABASE_URL", default_db)
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(url)
    for key in ("SECRET_KEY", "VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT",
                "RATELIMIT_STORAGE_URI"):
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    if os.environ.get("PUSH_ALLOW_HTTP"):
        app.config["PUSH_ALLOW_HTTP"] = True
    for key in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER",
                "PUBLIC_URL"):
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    for key in ("MAIL_PORT", "TRUSTED_PROXIES"):
        if os.environ.get(key):
            app.config[key] = int(os.environ[key])
    for key in ("MAIL_USE_TLS", "MAIL_USE_SSL"):
        if os.environ.get(key):
            app.config[key] = os.environ[key].strip().lower() in ("1", "true", "yes", "on")
    app.config.from_prefixed_env()
    if overrides:
        app.config.update(overrides)
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(app.config["DATABASE_URL"])
    if name == "development" and not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    required = list(getattr(PROFILES[name], "REQUIRED", ()))
    if app.config.get("MAIL_SERVER"):
        required.append("PUBLIC_URL")  # reset links must not be built from the Host header
    missing = [k for k in required if not app.config.get(k)]
    if missing:
        raise RuntimeError(f"The {name} profile needs these settings (environment "
                           "variables): " + ", ".join(missing))


def _instance_secret(instance_path):
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        os.makedirs(instance_path, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    with open(path) as f:
        return f.read().strip()


def _database_url(url):
    # Heroku-style URLs say postgres://; SQLAlchemy wants the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
