"""Several real `flask nudges work` processes on PostgreSQL (SPEC §6): 2,000 due
nudges of 500 people, counted by nudge id at a fake push service in its own process.

Without crashes each nudge is delivered exactly once. With one worker killed (-9)
mid-run nothing is lost, and the duplicates are at most that worker's in-flight
batch; the service worker drops a nudge id it has already shown (tested in
tests/e2e), so a person never sees one twice.
"""
import base64
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import func, insert, select

from backend.extensions import db
from backend.models import Nudge, PushSubscription, User, VersionCounter, utcnow
from tests.push import fake_push_server

ROOT = Path(__file__).resolve().parents[2]
PEOPLE, PER_PERSON, WORKERS, BATCH = 500, 4, 4, 25
pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def vapid_key():
    private = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(private.to_bytes(32, "big")).rstrip(b"=").decode()


def seed(app, url, keys):
    """PEOPLE people with one device each and PER_PERSON due nudges each."""
    now = utcnow()
    users, counters, devices, nudges = [], [], [], []
    for n in range(PEOPLE):
        user_id = uuid.uuid4()
        users.append({"id": user_id, "email": f"w{n}-{user_id.hex[:6]}@example.org",
                      "password_hash": "x", "timezone": "UTC", "settings": {},
                      "created_at": now, "updated_at": now})
        counters.append({"user_id": user_id, "seq": PER_PERSON})
        devices.append({"id": uuid.uuid4(), "user_id": user_id, "created_at": now,
                        "endpoint": f"{url}/push/{user_id.hex}", "failure_count": 0, **keys})
        for k in range(PER_PERSON):
            nudges.append({"id": uuid.uuid4(), "user_id": user_id, "version": k + 1,
                           "created_at": now, "updated_at": now, "kind": "apply",
                           "title": "Ready for one more?", "body": "No rush.",
                           "url": "/applications", "due_at": now - timedelta(minutes=k),
                           "status": "scheduled", "attempts": 0, "dedupe_key": f"w:{k}"})
    with app.app_context():
        for model, rows in ((User, users), (VersionCounter, counters),
                            (PushSubscription, devices), (Nudge, nudges)):
            db.session.execute(insert(model), rows)
        db.session.commit()
    return {str(n["id"]) for n in nudges}


def start_workers(database_url, lease_seconds, folder):
    env = {**os.environ, "DATABASE_URL": database_url, "REBOUND_ENV": "testing",
           "PUSH_ALLOW_HTTP": "1", "VAPID_PRIVATE_KEY": vapid_key(),
           "FLASK_NUDGES_LEASE_SECONDS": str(lease_seconds)}
    command = [sys.executable, "-m", "flask", "--app", "backend", "nudges", "work",
               "--interval", "0.2", "--no-sweep", "--batch-size", str(BATCH)]
    workers = []
    for n in range(WORKERS):
        # Output to a file, not a pipe nobody reads: a full pipe would stall the worker.
        log = open(folder / f"worker-{n}.log", "w")
        workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                        stderr=subprocess.STDOUT, text=True))
        workers[-1].log = folder / f"worker-{n}.log"
    deadline = time.monotonic() + 60
    for worker in workers:
        while "Nudge worker started." not in worker.log.read_text():
            assert worker.poll() is None, worker.log.read_text()
            assert time.monotonic() < deadline, worker.log.read_text()
            time.sleep(0.1)
    return workers


def stop(workers):
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=60)


def wait_until_all_sent(app, total, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            sent = db.session.execute(select(func.count()).select_from(Nudge)
                                      .where(Nudge.status == "sent")).scalar_one()
            db.session.remove()
        if sent == total:
            return
        time.sleep(0.5)
    pytest.fail(f"only {sent} of {total} nudges were sent")


def test_four_workers_deliver_each_nudge_exactly_once(app, database_url, tmp_path):
    with fake_push_server.running(tmp_path) as (url, keys, counts):
        ids = seed(app, url, keys)
        workers = start_workers(database_url, lease_seconds=120, folder=tmp_path)
        try:
            wait_until_all_sent(app, len(ids))
        finally:
            stop(workers)
        received = counts()
    assert [w.returncode for w in workers] == [0] * WORKERS
    assert set(received["nudges"]) == ids
    assert set(received["nudges"].values()) == {1}
    assert received["posts"] == len(ids)


def test_a_worker_killed_mid_run_loses_nothing(app, database_url, tmp_path):
    # Slow answers keep batches in flight; a short lease lets the others take over.
    with fake_push_server.running(tmp_path, delay=0.05) as (url, keys, counts):
        ids = seed(app, url, keys)
        workers = start_workers(database_url, lease_seconds=30, folder=tmp_path)
        try:
            deadline = time.monotonic() + 120
            while counts()["posts"] < 300:
                assert time.monotonic() < deadline, [w.log.read_text()[-2000:] for w in workers]
                time.sleep(0.1)
            workers[0].kill()  # SIGKILL: no chance to record its batch
            wait_until_all_sent(app, len(ids))
        finally:
            stop(workers)
        received = counts()
    assert set(received["nudges"]) == ids  # nothing lost
    duplicates = sum(times - 1 for times in received["nudges"].values())
    assert duplicates <= BATCH, duplicates  # at most the killed worker's batch again
    assert workers[0].returncode == -signal.SIGKILL
    assert [w.returncode for w in workers[1:]] == [0] * (WORKERS - 1)
