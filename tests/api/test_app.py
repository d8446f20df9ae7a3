"""App-wide behaviour: health, headers, OpenAPI, unknown paths, 405, 500, 503, config."""
import pytest

from tests.helpers import error_of

# Production refuses to start without these; dummy values do for these tests.
SECRETS = {"SECRET_KEY": "s" * 32, "VAPID_PRIVATE_KEY": "x", "VAPID_PUBLIC_KEY": "y",
           "VAPID_SUBJECT": "mailto:ops@example.org"}


def test_health_reports_the_database(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_down(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/missing/dir/x.db")
    error_of(app.test_client().get("/api/health"), 503, "unavailable")


def test_api_responses_carry_security_headers_and_no_store(client):
    response = client.get("/api/health")
    csp = response.headers["Content-Security-Policy"]
    for part in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                 "frame-ancestors 'none'"):
        assert part in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers


def test_errors_carry_the_headers_too(client):
    response = client.get("/api/nothing-here")
    error_of(response, 404, "not_found")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers


def test_the_frontend_is_served_at_the_root_with_the_csp(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert client.get("/today").mimetype == "text/html"  # app routes get the shell
    assert client.get("/no-such-file.js").status_code == 404


def test_a_path_that_only_starts_with_api_is_the_apps(client):
    response = client.get("/apiary")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers.get("Cache-Control") != "no-store"


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/rejections/", "/api/nope/deeper"])
def test_unknown_api_paths_are_json_404(client, path):
    error_of(client.get(path), 404, "not_found")
    error_of(client.post(path, {}), 404, "not_found")


def test_wrong_method_is_405_with_allow(signed_in):
    response = signed_in.put("/api/rejections", {"company": "Acme"})
    error_of(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_an_unexpected_error_is_a_json_500_without_a_trace(app):
    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/api/boom")
    body = error_of(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in body["message"]


def test_openapi_describes_every_operation_and_the_envelope(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for entity in ("applications", "rejections", "breaks", "contacts", "outreach", "checkins"):
        assert set(paths[f"/api/{entity}"]) >= {"get", "post"}
        assert set(paths[f"/api/{entity}/{{record_id}}"]) >= {"get", "patch", "delete"}
    assert set(paths["/api/nudges/{record_id}"]) >= {"get", "patch"}
    for path in ("/api/auth/register", "/api/auth/login", "/api/auth/logout", "/api/me",
                 "/api/me/email", "/api/me/password", "/api/me/sessions", "/api/me/export",
                 "/api/health"):
        assert path in paths
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), (path, method)
            assert "default" in operation["responses"], (path, method)
    schemes = spec["components"]["securitySchemes"]
    assert schemes["csrf"] == {"type": "apiKey", "in": "header", "name": "X-Requested-With",
                               "description": schemes["csrf"]["description"]}
    assert schemes["session"]["in"] == "cookie"
    assert spec["components"]["schemas"]["Error"]["properties"]["error"]


def test_production_refuses_to_start_without_its_secrets(make_app, monkeypatch):
    for key in ("SECRET_KEY", "VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "VAPID_SUBJECT"):
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        make_app("sqlite://", REBOUND_ENV="production")


def test_production_cookie_is_secure_with_host_prefix_and_hsts(make_app):
    app = make_app("sqlite://", REBOUND_ENV="production", **SECRETS)
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/api/openapi.json")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_flask_prefixed_environment_overrides_the_profile(make_app, monkeypatch):
    monkeypatch.setenv("FLASK_RATELIMIT_ENABLED", "false")
    app = make_app("sqlite://")
    assert app.config["RATELIMIT_ENABLED"] is False


def test_development_makes_its_secret_once_in_the_instance_folder(make_app, tmp_path,
                                                                  monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = make_app("sqlite://", REBOUND_ENV="development")
    first.instance_path  # noqa: B018
    again = make_app("sqlite://", REBOUND_ENV="development")
    assert first.config["SECRET_KEY"] == again.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32


@pytest.mark.parametrize("profile", ["production", "development"])
def test_an_unexpected_error_is_a_json_500_in_every_profile(make_app, profile, tmp_path,
                                                            monkeypatch):
    # The testing profile turns exception propagation off by hand; the others must not need to.
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = make_app("sqlite://", REBOUND_ENV=profile, **SECRETS)

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/api/boom")
    error_of(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
