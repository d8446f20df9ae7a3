"""Hardening of accounts and of every JSON body (issue 9, items 10 and 14-17):
each test shows the refused request, its error body, and that nothing changed."""
import pytest

from backend import create_app
from backend.extensions import db
from tests.helpers import PASSWORD, ApiClient, error_of
from tests.mail_sink import running_inbox

NEW_PASSWORD = "a brand new password"
PUBLIC_URL = "https://rebound.example"


def signed_in(app, **extra):
    return ApiClient(app.test_client()).register(**extra)


def raw_post(client, path, text, method="POST"):
    return client.client.open(path, method=method, data=text, headers={
        "X-Requested-With": "rebound", "Content-Type": "application/json"})


# 10. Integers in a body: at most 18 digits, and never a 500.

@pytest.mark.parametrize("method,path,template", [
    ("POST", "/api/checkins", '{"mood": %s}'),
    ("PATCH", "/api/me", '{"settings": {"max_nudges_per_day": %s}}'),
    ("POST", "/api/sync", '{"cursor": %s, "mutations": []}'),
    ("POST", "/api/auth/login", '{"email": "a@example.org", "password": %s}'),
    ("POST", "/api/checkins", '{"mood": 3, "note": "x", "extra": [1, 2, %s]}'),
])
@pytest.mark.parametrize("digits", [19, 4301, 20_000])
def test_a_long_integer_in_any_body_is_400_not_500(app, db_state, method, path, template,
                                                   digits):
    client = signed_in(app)
    before = db_state()
    body = error_of(raw_post(client, path, template % ("9" * digits), method), 400,
                    "bad_request")
    assert body["message"] == "Numbers in the body may have at most 18 digits."
    body = error_of(raw_post(client, path, template % ("-" + "9" * digits), method), 400,
                    "bad_request")
    assert db_state() == before


def test_an_18_digit_integer_is_read_as_a_number(app, db_state):
    client = signed_in(app)
    before = db_state()
    body = error_of(raw_post(client, "/api/checkins", '{"mood": %s}' % ("9" * 18)), 422,
                    "validation_error")
    assert "mood" in body["fields"]
    assert db_state() == before


# 14. Behind a proxy: exactly TRUSTED_PROXIES hops of X-Forwarded-For are trusted.

def register_from(app, n, forwarded_for):
    return ApiClient(app.test_client()).post(
        "/api/auth/register", {"email": f"p{n}-{forwarded_for}@example.org",
                               "password": PASSWORD},
        headers={"X-Forwarded-For": forwarded_for}, environ_base={"REMOTE_ADDR": "10.9.9.9"})


def test_without_trusted_proxies_everyone_behind_the_router_shares_one_bucket(app):
    # TRUSTED_PROXIES defaults to 0: X-Forwarded-For is a client's word, not believed.
    for n in range(5):
        assert register_from(app, n, f"203.0.113.{n}").status_code == 201
    error_of(register_from(app, 9, "203.0.113.99"), 429, "rate_limited")


def test_with_one_trusted_proxy_each_client_has_its_own_bucket(database_url):
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": database_url,
                      "TRUSTED_PROXIES": 1})
    for n in range(5):
        assert register_from(app, n, "203.0.113.7").status_code == 201
    error_of(register_from(app, 5, "203.0.113.7"), 429, "rate_limited")
    assert register_from(app, 6, "203.0.113.8").status_code == 201
    # A client cannot pick its own bucket by adding a hop of its own: only the last
    # hop (the one the trusted router added) counts.
    error_of(register_from(app, 7, "198.51.100.1, 203.0.113.7"), 429, "rate_limited")
    with app.app_context():
        db.engine.dispose()


def test_trusted_proxies_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": "sqlite://"})
    assert app.config["TRUSTED_PROXIES"] == 2


# 15. The per-email login limit counts failures only and never blocks the right password.

def wrong_login(client, email, ip):
    return client.post("/api/auth/login", {"email": email, "password": "not the password"},
                       environ_base={"REMOTE_ADDR": ip})


def test_25_wrong_passwords_do_not_lock_the_owner_out(app, client, db_state):
    owner = signed_in(app)
    for n in range(25):
        error_of(wrong_login(client, owner.email, f"10.0.4.{n}"), 401, "unauthorized")
    before = db_state()
    response = wrong_login(client, owner.email.upper(), "10.0.5.1")
    error_of(response, 429, "rate_limited")
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert db_state() == before
    phone = ApiClient(app.test_client())
    response = phone.post("/api/auth/login", {"email": owner.email, "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.0.5.2"})
    assert response.status_code == 200
    assert phone.get("/api/me").get_json()["email"] == owner.email


def test_right_passwords_are_not_counted_against_the_email(app):
    owner = signed_in(app)
    for n in range(30):
        response = ApiClient(app.test_client()).post(
            "/api/auth/login", {"email": owner.email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": f"10.0.6.{n}"})
        assert response.status_code == 200


# 16. Current-password checks: 10 an hour per user.

@pytest.mark.parametrize("path,body,method", [
    ("/api/me/password", {"current_password": "wrong password!", "new_password": NEW_PASSWORD},
     "POST"),
    ("/api/me/email", {"current_password": "wrong password!", "new_email": "n@example.org"},
     "POST"),
    ("/api/me", {"password": "wrong password!"}, "DELETE"),
])
def test_current_password_checks_are_limited_per_user(app, db_state, path, body, method):
    thief = signed_in(app)
    for _ in range(10):
        error_of(thief.request(method, path, json=body), 403, "wrong_password")
    before = db_state()
    response = thief.request(method, path, json=body)
    error_of(response, 429, "rate_limited")
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    # the right password is refused too while the limit lasts: the guesser cannot tell
    right = {**body, ("password" if "password" in body else "current_password"): PASSWORD}
    error_of(thief.request(method, path, json=right), 429, "rate_limited")
    assert db_state() == before
    assert thief.get("/api/me").status_code == 200
    # another user's checks are their own
    other = signed_in(app)
    error_of(other.request(method, path, json=body), 403, "wrong_password")


def test_the_three_checks_share_one_limit(app):
    thief = signed_in(app)
    wrong = "wrong password!"
    for n in range(10):
        path, body = [("/api/me/password", {"current_password": wrong,
                                            "new_password": NEW_PASSWORD}),
                      ("/api/me/email", {"current_password": wrong,
                                         "new_email": "n@example.org"})][n % 2]
        error_of(thief.post(path, body), 403, "wrong_password")
    error_of(thief.delete("/api/me", {"password": wrong}), 429, "rate_limited")


# 17. Password reset: PUBLIC_URL whenever mail is on, a link bound to the address.

@pytest.mark.parametrize("profile", ["development", "testing"])
def test_mail_without_a_public_url_refuses_to_start_in_every_profile(profile, tmp_path):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app({"REBOUND_ENV": profile, "DATABASE_URL": "sqlite://",
                    "MAIL_SERVER": "127.0.0.1", "SECRET_KEY": "s" * 32})


@pytest.fixture
def mail_app(database_url):
    with running_inbox() as inbox:
        app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": database_url,
                          "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox.port,
                          "PUBLIC_URL": PUBLIC_URL})
        app.inbox = inbox
        yield app
        with app.app_context():
            db.engine.dispose()


def test_the_link_never_comes_from_the_host_header(mail_app):
    owner = signed_in(mail_app)
    ApiClient(mail_app.test_client()).post("/api/auth/reset", {"email": owner.email},
                                           headers={"Host": "evil.example"})
    [message] = mail_app.inbox.wait_for(1)
    assert f"{PUBLIC_URL}/reset-password#token=" in message.get_content()
    assert "evil.example" not in message.get_content()


def test_a_link_mailed_before_an_email_change_no_longer_works(mail_app, db_state):
    owner = signed_in(mail_app)
    ApiClient(mail_app.test_client()).post("/api/auth/reset", {"email": owner.email})
    [message] = mail_app.inbox.wait_for(1)
    token = message.get_content().split("#token=")[1].split()[0]
    assert owner.post("/api/me/email", {"new_email": "moved@example.org",
                                        "current_password": PASSWORD}).status_code == 200
    before = db_state()
    body = error_of(ApiClient(mail_app.test_client()).post(
        "/api/auth/reset/confirm", {"token": token, "new_password": NEW_PASSWORD}),
        422, "validation_error")
    assert set(body["fields"]) == {"token"}
    assert db_state() == before
    assert owner.get("/api/me").status_code == 200


def test_a_known_and_an_unknown_email_do_the_same_work(mail_app, monkeypatch):
    """Both build a token and a message and start the mail thread (only one sends),
    so the answer's timing cannot tell whether an account exists. (The timing itself
    is measured by bench/reset_bench.py, not asserted here.)"""
    from backend import mail
    from backend.services import password_reset

    calls = []
    real_later, real_token = mail.send_later, password_reset.token_for
    monkeypatch.setattr(mail, "send_later",
                        lambda app, message: calls.append(("thread", message is not None))
                        or real_later(app, message))
    monkeypatch.setattr(password_reset, "token_for",
                        lambda key, user: calls.append(("token",)) or real_token(key, user))
    owner = signed_in(mail_app)
    client = ApiClient(mail_app.test_client())
    assert client.post("/api/auth/reset", {"email": owner.email}).status_code == 202
    assert client.post("/api/auth/reset", {"email": "nobody@example.org"}).status_code == 202
    assert calls == [("token",), ("thread", True), ("token",), ("thread", False)]
    mail_app.inbox.wait_for(1)
    assert [m["To"] for m in mail_app.inbox.messages] == [owner.email]
