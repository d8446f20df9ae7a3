"""What only the server writes about nudges, done to the live server's
database for the inbox tests: the planner makes the nudges (a rejection
logged through the API), and here they are sent (or fail) the way the
dispatcher records it, at moments in the past the test picks. A device can
only mark them; that part goes through the app."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Runs in its own process, with the live server's DATABASE_URL. Each change:
# {"kind": ..., "status": "sent" | "failed", "minutes_ago": n}: the user's
# scheduled nudge of that kind becomes due that long ago and is recorded as
# the dispatcher would (a new version, so devices pull it).
SCRIPT = """
import json, sys
from datetime import timedelta
from sqlalchemy import select
from backend import create_app
from backend.extensions import db
from backend.models import Nudge, User, utcnow
from backend.versions import stamp

email, changes = sys.argv[1], json.loads(sys.argv[2])
app = create_app()
with app.app_context():
    user = db.session.execute(select(User).where(User.email == email.lower())).scalar_one()
    now = utcnow()
    done = {}
    for change in changes:
        row = db.session.execute(select(Nudge).where(
            Nudge.user_id == user.id, Nudge.kind == change["kind"], Nudge.status == "scheduled")
            .order_by(Nudge.due_at)).scalars().first()
        assert row is not None, f"no scheduled {change['kind']} nudge to send"
        when = now - timedelta(minutes=change["minutes_ago"])
        row.due_at, row.status, row.attempts = when, change["status"], 1
        row.sent_at = when if change["status"] == "sent" else None
        stamp(row, now)
        done[change["kind"]] = str(row.id)
    db.session.commit()
    print(json.dumps(done))
"""


def deliver(database_url, email, changes):
    """Sends (or fails) the user's planned nudges as `changes` say; returns
    {kind: nudge id}."""
    env = {**os.environ, "DATABASE_URL": database_url, "REBOUND_ENV": "development",
           "SECRET_KEY": "e2e-tests-only-not-a-secret"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, email, json.dumps(changes)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
