"""A push subscription belongs to the session that registered it and is deleted with
it (issue 9, item 4): a signed-out, revoked or lost device stops getting
reminders. Each test signs one account in on two devices, subscribes each, ends
sessions the ways the API can, and checks which subscriptions are left and that
nothing else changed."""
import re
import uuid

import pytest
from sqlalchemy import select

from backend import create_app
from backend.extensions import db
from backend.models import PushSubscription, Session
from tests.helpers import PASSWORD, ApiClient
from tests.mail_sink import running_inbox

from .support import subscription

NEW_PASSWORD = "a brand new password"


def sign_in(app, email, password=PASSWORD):
    client = ApiClient(app.test_client())
    response = client.post("/api/auth/login", {"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    return client


@pytest.fixture
def phone_and_laptop(app, signed_in):
    """One account signed in on two devices, each with its own push subscription."""
    phone, laptop = signed_in, sign_in(app, signed_in.email)
    for device, name in ((phone, "phone"), (laptop, "laptop")):
        response = device.post("/api/push/subscriptions",
                               subscription(f"https://fcm.googleapis.com/fcm/send/{name}"))
        assert response.status_code == 201, response.get_json()
    return phone, laptop


def endpoints(app):
    with app.app_context():
        return sorted(row.endpoint.rsplit("/", 1)[1] for row in
                      db.session.execute(select(PushSubscription)).scalars())


def without(state, *tables):
    """A db_state snapshot minus the tables an action is meant to change."""
    return {name: rows for name, rows in state.items() if name not in tables}


def session_id_of(client):
    [current] = [s for s in client.get("/api/me/sessions").get_json() if s["current"]]
    return current["id"]


def test_each_subscription_is_tied_to_the_session_that_registered_it(app, phone_and_laptop):
    phone, laptop = phone_and_laptop
    with app.app_context():
        owners = {row.endpoint.rsplit("/", 1)[1]: str(row.session_id) for row in
                  db.session.execute(select(PushSubscription)).scalars()}
    assert owners == {"phone": session_id_of(phone), "laptop": session_id_of(laptop)}


def test_logging_out_deletes_that_devices_subscription_only(app, phone_and_laptop, db_state):
    phone, _laptop = phone_and_laptop
    before = db_state()
    assert phone.post("/api/auth/logout").status_code == 204
    assert endpoints(app) == ["laptop"]
    assert without(db_state(), "sessions", "push_subscriptions") == without(
        before, "sessions", "push_subscriptions")


def test_revoking_a_session_deletes_its_subscription(app, phone_and_laptop, db_state):
    phone, laptop = phone_and_laptop
    before = db_state()
    lost = session_id_of(phone)
    assert laptop.delete(f"/api/me/sessions/{lost}").status_code == 204
    assert endpoints(app) == ["laptop"]
    assert without(db_state(), "sessions", "push_subscriptions") == without(
        before, "sessions", "push_subscriptions")


def test_signing_out_every_other_device_deletes_their_subscriptions(app, phone_and_laptop):
    _phone, laptop = phone_and_laptop
    assert laptop.delete("/api/me/sessions").status_code == 204
    assert endpoints(app) == ["laptop"]


def test_a_password_change_deletes_the_other_devices_subscriptions(app, phone_and_laptop):
    _phone, laptop = phone_and_laptop
    response = laptop.post("/api/me/password", {"current_password": PASSWORD,
                                                "new_password": NEW_PASSWORD})
    assert response.status_code == 204
    assert endpoints(app) == ["laptop"]


def test_signing_in_to_another_account_on_a_device_deletes_its_subscription(
        app, phone_and_laptop, other_signed_in):
    phone, _laptop = phone_and_laptop
    response = phone.post("/api/auth/login", {"email": other_signed_in.email, "password": PASSWORD})
    assert response.status_code == 200
    assert endpoints(app) == ["laptop"]


def test_deleting_the_account_deletes_every_subscription(app, phone_and_laptop, other_signed_in):
    other_signed_in.post("/api/push/subscriptions",
                    subscription("https://fcm.googleapis.com/fcm/send/stranger"))
    phone, _laptop = phone_and_laptop
    assert phone.delete("/api/me", {"password": PASSWORD}).status_code == 204
    assert endpoints(app) == ["stranger"]


def test_the_operators_set_password_deletes_every_subscription(app, phone_and_laptop, signed_in):
    result = app.test_cli_runner().invoke(
        args=["users", "set-password", signed_in.email, "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert endpoints(app) == []


@pytest.fixture
def inbox():
    with running_inbox() as handler:
        yield handler


@pytest.fixture
def mail_app(database_url, inbox):
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": database_url,
                      "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox.port,
                      "PUBLIC_URL": "https://rebound.example"})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_password_reset_deletes_every_subscription(mail_app, inbox):
    phone = ApiClient(mail_app.test_client()).register()
    laptop = sign_in(mail_app, phone.email)
    for device, name in ((phone, "phone"), (laptop, "laptop")):
        device.post("/api/push/subscriptions",
                    subscription(f"https://fcm.googleapis.com/fcm/send/{name}"))
    assert endpoints(mail_app) == ["laptop", "phone"]
    stranger = ApiClient(mail_app.test_client())
    assert stranger.post("/api/auth/reset", {"email": phone.email}).status_code == 202
    [message] = inbox.wait_for(1)
    token = re.search(r"token=(\S+)", message.get_content()).group(1)
    assert stranger.post("/api/auth/reset/confirm",
                         {"token": token, "new_password": NEW_PASSWORD}).status_code == 204
    assert endpoints(mail_app) == []


def test_a_session_deleted_in_the_database_takes_its_subscription_along(app, phone_and_laptop):
    """The cascade is the database's own (ON DELETE CASCADE), not the ORM's: a bulk
    DELETE of the session row is enough."""
    phone, _laptop = phone_and_laptop
    session_id = uuid.UUID(session_id_of(phone))
    with app.app_context():
        db.session.execute(Session.__table__.delete().where(Session.id == session_id))
        db.session.commit()
    assert endpoints(app) == ["laptop"]
