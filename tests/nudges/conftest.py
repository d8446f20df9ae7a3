"""An app that plans nudges on every write and can push to a fake push service."""
import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from backend import create_app
from backend.extensions import db
from backend.models import Nudge
from tests.push.fake_push_service import FakePushService


@pytest.fixture
def app(database_url):
    private = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    raw = base64.urlsafe_b64encode(private.to_bytes(32, "big")).rstrip(b"=").decode()
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": database_url,
                      "NUDGES_PLAN_ON_WRITE": True, "PUSH_ALLOW_HTTP": True,
                      "VAPID_PRIVATE_KEY": raw})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


@pytest.fixture
def nudge_of(app):
    def get(nudge_id):
        with app.app_context():
            row = db.session.get(Nudge, nudge_id)
            db.session.expunge(row)
            return row
    return get
