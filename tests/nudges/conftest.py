"""An app that plans nudges on every write and can push to a fake push service."""
import pytest

from backend.extensions import db
from backend.models import Nudge
from tests.factories import vapid_private_key
from tests.push.fake_push_service import FakePushService


@pytest.fixture
def app(make_app, database_url):
    """The app on this test's database, planning nudges on every write and pushing over
    plain HTTP to a loopback push service, with a VAPID key of its own."""
    return make_app(database_url, NUDGES_PLAN_ON_WRITE=True, PUSH_ALLOW_HTTP=True,
                    VAPID_PRIVATE_KEY=vapid_private_key())


@pytest.fixture
def push_service():
    """A fake push service on 127.0.0.1 that decrypts what it receives."""
    with FakePushService() as service:
        yield service


@pytest.fixture
def nudge_of(app):
    """A nudge's row by id, read fresh from the database."""
    def get(nudge_id):
        with app.app_context():
            row = db.session.get(Nudge, nudge_id)
            db.session.expunge(row)
            return row
    return get
