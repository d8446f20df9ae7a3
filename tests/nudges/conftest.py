"""An app that plans nudges on every write and can push to a fake push service."""
import base64
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from backend import create_app
from backend.extensions import db
from backend.models import Nudge, utcnow
from backend.versions import bump_version
from tests.helpers import ApiClient
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
def add_nudge(app):
    """Put a scheduled nudge straight into the table, as reconcile would."""
    def add(user, due_at=None, kind="apply", key=None):
        with app.app_context():
            user_id = uuid.UUID(user.user["id"])
            row = Nudge(user_id=user_id, version=bump_version(user_id), kind=kind,
                        title="Ready for one more?", body="One more application, no rush.",
                        url="/applications", due_at=due_at or utcnow(), status="scheduled",
                        dedupe_key=key or f"{kind}:{uuid.uuid4()}", attempts=0)
            db.session.add(row)
            db.session.commit()
            return row.id
    return add


@pytest.fixture
def nudge_of(app):
    def get(nudge_id):
        with app.app_context():
            row = db.session.get(Nudge, nudge_id)
            db.session.expunge(row)
            return row
    return get


def sign_up(app, **extra):
    return ApiClient(app.test_client()).register(**extra)
