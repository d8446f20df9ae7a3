"""The session cookie is refreshed once a day, not re-signed on every response, and
the session and its user load in one query."""
from datetime import timedelta

from sqlalchemy import event

from backend import auth
from backend.extensions import db
from backend.models import utcnow
from tests.helpers import ApiClient


def test_the_cookie_is_sent_at_sign_in_then_once_a_day(app, monkeypatch):
    client = ApiClient(app.test_client())
    response = client.post("/api/auth/register", {"email": "c@example.org",
                                                  "password": "correct horse battery"})
    assert "rebound_session=" in response.headers["Set-Cookie"]
    for _ in range(3):
        response = client.get("/api/me")
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(auth, "utcnow", lambda: tomorrow)
    response = client.get("/api/me")
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert "rebound_session=" in cookie and "Expires=" in cookie
    assert "Set-Cookie" not in client.get("/api/me").headers


def test_a_signed_in_request_loads_session_and_user_in_one_select(app):
    client = ApiClient(app.test_client()).register()
    statements = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "sessions" in statement:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/api/me").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "users" in statements[0], statements
