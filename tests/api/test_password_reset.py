"""Password reset by email (SPEC §4), against a real SMTP server on 127.0.0.1
(aiosmtpd, tests/mail_sink.py) that keeps what it receives."""
import time

import pytest

from tests.helpers import PASSWORD, ApiClient, error_of
from tests.mail_sink import running_inbox

NEW_PASSWORD = "a brand new password"
PUBLIC_URL = "https://rebound.example"


@pytest.fixture
def inbox():
    """A real SMTP server on 127.0.0.1 that keeps every message it receives."""
    with running_inbox() as handler:
        yield handler


@pytest.fixture
def app(make_app, database_url, inbox):
    """The app on this test's database, sending its mail to `inbox`."""
    return make_app(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox.port,
                    MAIL_DEFAULT_SENDER="Rebound <hello@rebound.example>", PUBLIC_URL=PUBLIC_URL)


def token_in(message):
    body = message.get_content()
    [line] = [line for line in body.splitlines() if line.startswith(PUBLIC_URL)]
    prefix = f"{PUBLIC_URL}/reset-password#token="
    assert line.startswith(prefix), line
    return line[len(prefix):]


def ask(client, address):
    return client.post("/api/auth/reset", {"email": address})


def test_a_reset_link_sets_a_new_password_once_and_signs_out_every_device(app, signed_in, inbox,
                                                                           db_state):
    laptop = ApiClient(app.test_client())
    assert laptop.post("/api/auth/login", {"email": signed_in.email,
                                           "password": PASSWORD}).status_code == 200
    stranger = ApiClient(app.test_client())
    response = ask(stranger, signed_in.email.upper())
    assert response.status_code == 202 and response.get_data() == b""
    [message] = inbox.wait_for(1)
    assert message["To"] == signed_in.email
    assert message["From"] == "Rebound <hello@rebound.example>"
    assert "within the next hour" in message.get_content()
    token = token_in(message)

    assert stranger.post("/api/auth/reset/confirm",
                         {"token": token, "new_password": NEW_PASSWORD}).status_code == 204
    for device in (signed_in, laptop):
        error_of(device.get("/api/me"), 401, "unauthorized")
    assert stranger.get("/api/me").status_code == 401  # confirming does not sign in
    error_of(stranger.post("/api/auth/login", {"email": signed_in.email, "password": PASSWORD}),
             401, "unauthorized")
    assert stranger.post("/api/auth/login", {"email": signed_in.email,
                                             "password": NEW_PASSWORD}).status_code == 200

    before = db_state()
    body = error_of(ApiClient(app.test_client()).post(
        "/api/auth/reset/confirm", {"token": token, "new_password": "yet another password"}),
        422, "validation_error")
    assert body["fields"] == {"token": ["This link has expired or was already used."]}
    assert db_state() == before


def test_an_unknown_email_gets_the_same_answer_and_no_mail(app, client, signed_in, inbox, db_state):
    before = db_state()
    unknown = ask(client, "nobody@example.org")
    known = ask(client, signed_in.email)
    assert (unknown.status_code, unknown.get_data()) == (known.status_code, known.get_data())
    assert unknown.status_code == 202
    inbox.wait_for(1)
    time.sleep(0.3)  # room for a second message, were one ever sent
    assert [m["To"] for m in inbox.messages] == [signed_in.email]
    assert db_state() == before


def test_a_link_expires_after_an_hour(app, client, signed_in, inbox, monkeypatch, db_state):
    ask(client, signed_in.email)
    token = token_in(inbox.wait_for(1)[0])
    later = time.time() + 60 * 60 + 5
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    before = db_state()
    body = error_of(client.post("/api/auth/reset/confirm",
                                {"token": token, "new_password": NEW_PASSWORD}),
                    422, "validation_error")
    assert set(body["fields"]) == {"token"}
    assert db_state() == before
    assert signed_in.get("/api/me").status_code == 200


def test_a_link_stops_working_once_the_password_changes(app, client, signed_in, inbox):
    ask(client, signed_in.email)
    token = token_in(inbox.wait_for(1)[0])
    assert signed_in.post("/api/me/password", {"current_password": PASSWORD,
                                               "new_password": NEW_PASSWORD}).status_code == 204
    error_of(client.post("/api/auth/reset/confirm",
                         {"token": token, "new_password": "yet another password"}),
             422, "validation_error")
    assert signed_in.get("/api/me").status_code == 200


@pytest.mark.parametrize("token", [
    "not-a-token",
    "",
    # Well formed, signed with another secret.
    "eyJ1c2VyIjoiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAwIn0.ZzZzZw.c2lnbmF0dXJl",
])
def test_a_forged_token_is_refused_and_changes_nothing(app, client, signed_in, db_state, token):
    before = db_state()
    body = error_of(client.post("/api/auth/reset/confirm",
                                {"token": token, "new_password": NEW_PASSWORD}),
                    422, "validation_error")
    assert set(body["fields"]) == {"token"}
    assert db_state() == before


def test_a_token_signed_with_another_secret_is_refused(app, client, signed_in, db_state):
    from backend.services.password_reset import token_for
    from backend.services.accounts import find_by_email
    with app.app_context():
        forged = token_for("some other secret", find_by_email(signed_in.email))
    before = db_state()
    error_of(client.post("/api/auth/reset/confirm", {"token": forged,
                                                     "new_password": NEW_PASSWORD}),
             422, "validation_error")
    assert db_state() == before


@pytest.mark.parametrize("path,body,fields", [
    ("/api/auth/reset", {"email": "not an email"}, {"email"}),
    ("/api/auth/reset", {}, {"email"}),
    ("/api/auth/reset", {"email": "a@example.org", "extra": 1}, {"extra"}),
    ("/api/auth/reset/confirm", {"token": "x", "new_password": "short"}, {"new_password"}),
    ("/api/auth/reset/confirm", {"new_password": NEW_PASSWORD}, {"token"}),
    ("/api/auth/reset/confirm", {"token": 5, "new_password": NEW_PASSWORD}, {"token"}),
])
def test_bad_input_is_422_and_changes_nothing(app, client, signed_in, inbox, db_state,
                                              path, body, fields):
    before = db_state()
    assert set(error_of(client.post(path, body), 422, "validation_error")["fields"]) == fields
    assert db_state() == before
    assert inbox.messages == []


def test_both_need_the_csrf_header(app, signed_in, inbox, db_state):
    before = db_state()
    raw = app.test_client()
    error_of(raw.post("/api/auth/reset", json={"email": signed_in.email}), 403, "csrf")
    error_of(raw.post("/api/auth/reset/confirm", json={"token": "x",
                                                       "new_password": NEW_PASSWORD}),
             403, "csrf")
    assert db_state() == before
    assert inbox.messages == []


def test_asking_is_limited_per_email(app, client, signed_in, inbox, db_state):
    for n in range(5):
        assert ask(ApiClient(app.test_client()), signed_in.email).status_code == 202
    inbox.wait_for(5)
    before = db_state()
    response = ask(client, signed_in.email)
    error_of(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0
    assert db_state() == before
    time.sleep(0.3)
    assert len(inbox.messages) == 5


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_without_a_mail_server_reset_is_not_available(make_app, database_url):
    app = make_app(database_url)
    client = ApiClient(app.test_client())
    client.register(email="sam@example.org")
    body = error_of(client.post("/api/auth/reset", {"email": "sam@example.org"}),
                    404, "not_found")
    assert "set a new password for you" in body["message"]
    error_of(client.post("/api/auth/reset/confirm", {"token": "x", "new_password": NEW_PASSWORD}),
             404, "not_found")
    assert client.get("/api/me").status_code == 200


def test_production_with_mail_needs_a_public_url(make_app, monkeypatch):
    settings = {"REBOUND_ENV": "production", "SECRET_KEY": "s" * 32,
                "VAPID_PRIVATE_KEY": "k", "VAPID_PUBLIC_KEY": "k",
                "VAPID_SUBJECT": "mailto:ops@example.org", "MAIL_SERVER": "smtp.example.org"}
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        make_app("sqlite://", **settings)
    app = make_app("sqlite://", **settings, PUBLIC_URL=PUBLIC_URL)
    assert app.config["PUBLIC_URL"] == PUBLIC_URL
