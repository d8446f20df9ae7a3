"""Accounts: register, sign in and out, profile, email, password, devices, export, delete."""
from tests.helpers import PASSWORD, ApiClient, error_of


def test_register_returns_the_user_and_signs_in(client):
    response = client.post("/api/auth/register", {
        "email": "Ada@Example.org", "password": PASSWORD, "display_name": "Ada",
        "timezone": "Europe/Berlin"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == "ada@example.org"
    assert body["display_name"] == "Ada" and body["timezone"] == "Europe/Berlin"
    assert body["settings"]["quiet_start"] == "21:00"
    assert body["settings"]["nudge_kinds"]["apply"] is True
    assert body["settings"]["detailed_notifications"] is False
    assert client.get("/api/me").get_json()["id"] == body["id"]


def test_session_cookie_is_httponly_lax_and_lasts_30_days(client):
    response = client.post("/api/auth/register", {"email": "c@example.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_register_refuses_an_email_taken_in_any_letter_case(client, app, db_state):
    ApiClient(app.test_client()).register(email="sam@example.org")
    before = db_state()
    error_of(client.post("/api/auth/register", {"email": "SAM@Example.ORG", "password": PASSWORD}),
             409, "conflict")
    assert db_state() == before


def test_register_refuses_a_short_password_and_a_bad_timezone(client, db_state):
    before = db_state()
    body = error_of(client.post("/api/auth/register", {
        "email": "x@example.org", "password": "short", "timezone": "Mars/Olympus"}),
        422, "validation_error")
    assert set(body["fields"]) == {"password", "timezone"}
    assert db_state() == before


def test_login_with_wrong_password_or_unknown_email_gives_the_same_401(client, signed_in):
    wrong = error_of(client.post("/api/auth/login", {"email": signed_in.email,
                                                     "password": "nope" * 3}),
                     401, "unauthorized")
    unknown = error_of(client.post("/api/auth/login", {"email": "who@example.org",
                                                       "password": "nope" * 3}),
                       401, "unauthorized")
    assert wrong == unknown
    error_of(client.get("/api/me"), 401, "unauthorized")


def test_login_is_case_insensitive_and_opens_a_second_device(app, signed_in):
    phone = ApiClient(app.test_client())
    response = phone.post("/api/auth/login", {"email": signed_in.email.upper(),
                                              "password": PASSWORD, "device_label": "Phone"})
    assert response.status_code == 200
    devices = phone.get("/api/me/sessions").get_json()
    assert len(devices) == 2
    assert [d["device_label"] for d in devices if d["current"]] == ["Phone"]


def test_no_session_is_401(client):
    for path in ("/api/me", "/api/rejections", "/api/me/sessions", "/api/me/export"):
        error_of(client.get(path), 401, "unauthorized")


def test_logout_ends_the_session_so_a_copied_cookie_stops_working(app, signed_in):
    copy = app.test_client()
    copy.set_cookie("rebound_session", signed_in.client.get_cookie("rebound_session").value)
    assert copy.get("/api/me").status_code == 200
    assert signed_in.post("/api/auth/logout").status_code == 204
    error_of(copy.get("/api/me"), 401, "unauthorized")
    error_of(signed_in.get("/api/me"), 401, "unauthorized")


def test_patch_me_merges_settings_key_by_key(signed_in):
    response = signed_in.patch("/api/me", {"settings": {"nudge_kinds": {"apply": False},
                                                        "quiet_start": "22:30"}})
    assert response.status_code == 200
    settings = response.get_json()["settings"]
    assert settings["nudge_kinds"] == {"break": True, "support": True, "apply": False,
                                       "feedback": True, "reflect": True, "big_picture": True}
    assert settings["quiet_start"] == "22:30" and settings["quiet_end"] == "08:00"
    response = signed_in.patch("/api/me", {"timezone": "America/New_York", "display_name": "Sam"})
    assert response.get_json()["settings"]["nudge_kinds"]["apply"] is False
    assert response.get_json()["timezone"] == "America/New_York"


def test_patch_me_refuses_bad_values_and_changes_nothing(signed_in, db_state):
    before = db_state()
    body = error_of(signed_in.patch("/api/me", {
        "timezone": "Not/AZone", "settings": {"quiet_start": "25:00", "nudge_kinds": {"x": True},
                                              "max_nudges_per_day": "2", "colour": "red"}}),
        422, "validation_error")
    assert set(body["fields"]) == {"timezone", "settings.quiet_start", "settings.nudge_kinds.x",
                                   "settings.max_nudges_per_day", "settings.colour"}
    assert db_state() == before


def test_ghost_after_days_defaults_to_30_and_takes_7_to_180(signed_in, db_state):
    assert signed_in.get("/api/me").get_json()["settings"]["ghost_after_days"] == 30
    for bad in (6, 181, "14", 14.5, True):
        before = db_state()
        body = error_of(signed_in.patch("/api/me", {"settings": {"ghost_after_days": bad}}),
                        422, "validation_error")
        assert set(body["fields"]) == {"settings.ghost_after_days"}
        assert db_state() == before
    response = signed_in.patch("/api/me", {"settings": {"ghost_after_days": 14}})
    assert response.get_json()["settings"]["ghost_after_days"] == 14


def test_boolean_settings_take_true_and_false_only(signed_in, db_state):
    for bad in ("yes", "true", 1, 0, "on", None):
        before = db_state()
        body = error_of(signed_in.patch("/api/me", {"settings": {
            "detailed_notifications": bad, "nudge_kinds": {"apply": bad}}}), 422, "validation_error")
        assert set(body["fields"]) == {"settings.detailed_notifications",
                                       "settings.nudge_kinds.apply"}
        assert db_state() == before
    response = signed_in.patch("/api/me", {"settings": {"detailed_notifications": True}})
    assert response.get_json()["settings"]["detailed_notifications"] is True


def test_change_email_needs_the_current_password(signed_in, db_state):
    before = db_state()
    error_of(signed_in.post("/api/me/email", {"new_email": "new@example.org",
                                              "current_password": "wrong password"}),
             403, "wrong_password")
    assert db_state() == before
    assert signed_in.get("/api/me").status_code == 200  # still signed in
    response = signed_in.post("/api/me/email", {"new_email": "New@Example.org",
                                                "current_password": PASSWORD})
    assert response.status_code == 200 and response.get_json()["email"] == "new@example.org"


def test_change_email_to_a_taken_one_is_409(app, signed_in, db_state):
    ApiClient(app.test_client()).register(email="taken@example.org")
    before = db_state()
    error_of(signed_in.post("/api/me/email", {"new_email": "TAKEN@example.org",
                                              "current_password": PASSWORD}), 409, "conflict")
    assert db_state() == before


def test_change_password_signs_out_other_devices_only(app, signed_in):
    other = ApiClient(app.test_client())
    other.post("/api/auth/login", {"email": signed_in.email, "password": PASSWORD})
    assert other.get("/api/me").status_code == 200
    new = "another good password"
    assert signed_in.post("/api/me/password", {"current_password": PASSWORD,
                                               "new_password": new}).status_code == 204
    assert signed_in.get("/api/me").status_code == 200
    error_of(other.get("/api/me"), 401, "unauthorized")
    error_of(other.post("/api/auth/login", {"email": signed_in.email, "password": PASSWORD}),
             401, "unauthorized")
    assert other.post("/api/auth/login", {"email": signed_in.email,
                                          "password": new}).status_code == 200


def test_change_password_with_wrong_current_password_is_403_and_changes_nothing(signed_in,
                                                                                db_state):
    before = db_state()
    error_of(signed_in.post("/api/me/password", {"current_password": "not it at all",
                                                 "new_password": "a new password"}),
             403, "wrong_password")
    assert db_state() == before
    assert signed_in.get("/api/me").status_code == 200


def test_sessions_can_be_listed_and_revoked(app, signed_in):
    other = ApiClient(app.test_client())
    other.post("/api/auth/login", {"email": signed_in.email, "password": PASSWORD,
                                   "device_label": "Tablet"})
    devices = signed_in.get("/api/me/sessions").get_json()
    tablet = next(d for d in devices if d["device_label"] == "Tablet")
    assert set(tablet) == {"id", "device_label", "created_at", "last_seen_at", "current"}
    assert signed_in.delete(f"/api/me/sessions/{tablet['id']}").status_code == 204
    error_of(other.get("/api/me"), 401, "unauthorized")
    error_of(signed_in.delete(f"/api/me/sessions/{tablet['id']}"), 404, "not_found")


def test_revoking_all_other_sessions_keeps_this_one(app, signed_in):
    others = [ApiClient(app.test_client()) for _ in range(2)]
    for other in others:
        other.post("/api/auth/login", {"email": signed_in.email, "password": PASSWORD})
    assert signed_in.delete("/api/me/sessions").status_code == 204
    assert signed_in.get("/api/me").status_code == 200
    for other in others:
        error_of(other.get("/api/me"), 401, "unauthorized")
    assert len(signed_in.get("/api/me/sessions").get_json()) == 1


def test_a_user_cannot_revoke_another_users_session(signed_in, other_signed_in):
    theirs = other_signed_in.get("/api/me/sessions").get_json()[0]["id"]
    error_of(signed_in.delete(f"/api/me/sessions/{theirs}"), 404, "not_found")
    assert other_signed_in.get("/api/me").status_code == 200


def test_export_holds_every_record_as_an_attachment(signed_in, other_signed_in):
    signed_in.post("/api/rejections", {"company": "Acme"})
    signed_in.post("/api/applications", {"company": "Globex"})
    other_signed_in.post("/api/rejections", {"company": "Hidden"})
    response = signed_in.get("/api/me/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    document = response.get_json()
    assert document["user"]["email"] == signed_in.email
    assert [r["company"] for r in document["rejections"]] == ["Acme"]
    assert [a["company"] for a in document["applications"]] == ["Globex"]
    for name in ("breaks", "contacts", "checkins", "outreach", "nudges"):
        assert document[name] == []


def test_delete_account_needs_the_password(signed_in, db_state):
    before = db_state()
    error_of(signed_in.delete("/api/me", {"password": "wrong password"}), 403, "wrong_password")
    assert db_state() == before
    assert signed_in.get("/api/me").status_code == 200


def test_delete_account_removes_every_row_and_ends_the_cookie(app, signed_in, other_signed_in,
                                                              db_state):
    contact = signed_in.post("/api/contacts", {"name": "Mum"}).get_json()
    signed_in.post("/api/outreach", {"contact_id": contact["id"]})
    signed_in.post("/api/rejections", {"company": "Acme"})
    signed_in.post("/api/breaks", {})
    other_signed_in.post("/api/rejections", {"company": "Stays"})
    copy = app.test_client()
    copy.set_cookie("rebound_session", signed_in.client.get_cookie("rebound_session").value)
    assert signed_in.delete("/api/me", {"password": PASSWORD}).status_code == 204
    error_of(copy.get("/api/me"), 401, "unauthorized")
    state = db_state()
    assert len(state["users"]) == 1
    for table in ("rejections", "contacts", "outreach", "breaks", "sessions", "version_counters"):
        assert len(state[table]) == (1 if table in ("rejections", "sessions",
                                                    "version_counters") else 0), table
    error_of(signed_in.post("/api/auth/login", {"email": signed_in.email, "password": PASSWORD}),
             401, "unauthorized")


def test_operator_can_set_a_password_from_the_command_line(app, runner, signed_in):
    result = runner.invoke(args=["users", "set-password", signed_in.email],
                           input="a brand new password\na brand new password\n")
    assert result.exit_code == 0, result.output
    error_of(signed_in.get("/api/me"), 401, "unauthorized")  # every device signed out
    fresh = ApiClient(app.test_client())
    assert fresh.post("/api/auth/login", {"email": signed_in.email,
                                          "password": "a brand new password"}).status_code == 200
    result = runner.invoke(args=["users", "set-password", "nobody@example.org"],
                           input="a brand new password\na brand new password\n")
    assert result.exit_code != 0 and "No account" in result.output


def test_a_device_without_a_label_is_named_from_its_browser(app):
    phone = ApiClient(app.test_client())
    phone.register(headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 "
                                          "(KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36"})
    assert phone.get("/api/me/sessions").get_json()[0]["device_label"] == "Chrome on Android"


def test_passwords_are_hashed_with_argon2id_at_owasps_floor(app, signed_in):
    from backend.services.accounts import find_by_email

    with app.app_context():
        stored = find_by_email(signed_in.email).password_hash
        assert stored.startswith("$argon2id$") and "m=19456,t=2,p=1" in stored


def test_a_session_unused_for_30_days_has_ended(app, signed_in):
    from datetime import timedelta

    from sqlalchemy import update

    from backend.extensions import db
    from backend.models import Session, utcnow

    with app.app_context():
        db.session.execute(update(Session).values(last_seen_at=utcnow() - timedelta(days=31)))
        db.session.commit()
    error_of(signed_in.get("/api/me"), 401, "unauthorized")


def test_a_session_used_within_30_days_is_kept_alive(app, signed_in):
    from datetime import timedelta

    from sqlalchemy import select, update

    from backend.extensions import db
    from backend.models import Session, utcnow

    with app.app_context():
        db.session.execute(update(Session).values(last_seen_at=utcnow() - timedelta(days=29)))
        db.session.commit()
    assert signed_in.get("/api/me").status_code == 200
    with app.app_context():
        seen = db.session.execute(select(Session.last_seen_at)).scalar_one()
        assert utcnow() - seen < timedelta(minutes=1)


def test_signing_in_again_on_a_device_replaces_its_session(app, signed_in):
    assert signed_in.post("/api/auth/login", {"email": signed_in.email,
                                              "password": PASSWORD}).status_code == 200
    assert len(signed_in.get("/api/me/sessions").get_json()) == 1


def test_a_failed_login_changes_nothing_and_names_neither_cause(client, signed_in, db_state):
    before = db_state()
    wrong = client.post("/api/auth/login", {"email": signed_in.email, "password": "nope" * 3})
    unknown = client.post("/api/auth/login", {"email": "who@example.org", "password": "nope" * 3})
    for response in (wrong, unknown):
        body = error_of(response, 401, "unauthorized")
        assert body["message"] == "That email and password don’t match an account."
        assert "rebound_session" not in response.headers.get("Set-Cookie", "")
    assert wrong.get_data() == unknown.get_data()
    assert db_state() == before


def _copy_of(app, signed_in):
    copy = app.test_client()
    copy.set_cookie("rebound_session", signed_in.client.get_cookie("rebound_session").value)
    return ApiClient(copy)


def _writes_are_refused(copy, other_signed_in, db_state):
    theirs = other_signed_in.post("/api/rejections", {"company": "Stays"}).get_json()
    before = db_state()
    attempts = [copy.get("/api/me"), copy.get("/api/rejections"),
                copy.post("/api/rejections", {"company": "Sneaky"}),
                copy.patch("/api/me", {"display_name": "Sneaky"}),
                copy.patch(f"/api/rejections/{theirs['id']}", {"company": "Sneaky"}),
                copy.post("/api/me/password", {"current_password": PASSWORD,
                                                "new_password": "sneaky new password"}),
                copy.delete("/api/me", {"password": PASSWORD}),
                copy.post("/api/auth/logout")]
    for response in attempts:
        error_of(response, 401, "unauthorized")
    assert db_state() == before


def test_a_logged_out_cookie_can_neither_read_nor_write(app, signed_in, other_signed_in, db_state):
    copy = _copy_of(app, signed_in)
    assert signed_in.post("/api/auth/logout").status_code == 204
    _writes_are_refused(copy, other_signed_in, db_state)


def test_a_deleted_accounts_cookie_can_neither_read_nor_write(app, signed_in, other_signed_in,
                                                              db_state):
    copy = _copy_of(app, signed_in)
    assert signed_in.delete("/api/me", {"password": PASSWORD}).status_code == 204
    _writes_are_refused(copy, other_signed_in, db_state)


def test_a_cookie_signed_out_by_a_password_change_can_neither_read_nor_write(app, signed_in,
                                                                             other_signed_in,
                                                                             db_state):
    other_device = ApiClient(app.test_client())
    other_device.post("/api/auth/login", {"email": signed_in.email, "password": PASSWORD})
    assert signed_in.post("/api/me/password", {"current_password": PASSWORD,
                                               "new_password": "another good password"}
                          ).status_code == 204
    _writes_are_refused(other_device, other_signed_in, db_state)


def test_a_tampered_cookie_is_401_and_changes_nothing(app, client, db_state):
    client.client.set_cookie("rebound_session", "not a signed session")
    before = db_state()
    error_of(client.get("/api/me"), 401, "unauthorized")
    error_of(client.post("/api/rejections", {"company": "Acme"}), 401, "unauthorized")
    assert db_state() == before


def test_register_refuses_a_taken_email_in_every_letter_case(app, client, db_state):
    ApiClient(app.test_client()).register(email="mixed.Case@Example.org")
    before = db_state()
    for email in ("MIXED.CASE@EXAMPLE.ORG", "mixed.case@example.org", "Mixed.case@example.ORG"):
        body = error_of(client.post("/api/auth/register", {"email": email, "password": PASSWORD}),
                        409, "conflict")
        assert body["message"] == "An account with this email already exists."
    assert db_state() == before
    error_of(client.get("/api/me"), 401, "unauthorized")  # the refusal did not sign in


def test_a_sign_up_that_loses_the_race_for_an_email_is_409(app, client, db_state, monkeypatch):
    # Two sign-ups at the same moment both find the email free; the unique index
    # must turn the second into the same 409, not a 500.
    ApiClient(app.test_client()).register(email="race@example.org")
    before = db_state()
    monkeypatch.setattr("backend.services.accounts.find_by_email", lambda email: None)
    body = error_of(client.post("/api/auth/register",
                                {"email": "Race@example.org", "password": PASSWORD}),
                    409, "conflict")
    assert body["message"] == "An account with this email already exists."
    assert db_state() == before
    error_of(client.get("/api/me"), 401, "unauthorized")


def test_an_email_change_that_loses_the_race_is_409(app, signed_in, db_state, monkeypatch):
    ApiClient(app.test_client()).register(email="race@example.org")
    before = db_state()
    monkeypatch.setattr("backend.services.accounts.find_by_email", lambda email: None)
    error_of(signed_in.post("/api/me/email", {"new_email": "race@example.org",
                                              "current_password": PASSWORD}), 409, "conflict")
    assert db_state() == before
    assert signed_in.get("/api/me").get_json()["email"] == signed_in.email
