"""Push benchmark (not a test): does sending several pushes at once pay off, and
how close does the whole dispatcher come to the speed of encryption?

1. Sends the same 200 encrypted, VAPID-signed pushes (pywebpush, aes128gcm) to
   a fake push service on 127.0.0.1 that answers each after 50 ms, as a distant
   push service would: once one at a time (concurrency 1) and once with the
   sender's default concurrency, both over the sender's pooled connections.
   Prints each time and their ratio (target: at least 4 times faster at once).
2. The whole dispatcher (`dispatcher.run_once`: claim, send, record, in its
   default batches) delivering 5,000 due nudges of 1,000 people to a fake push
   service in its own process (tests/push/fake_push_server.py: a few lines of
   asyncio answering 201 at once, decrypting and counting every body by nudge
   id afterwards, so it is not the bottleneck), next to raw `WebPusher.encode`
   throughput measured right before and right after it in the same run, and
   their ratio (target >= 0.5), in 3 rounds (each prints; the median is the
   figure: this shared machine's speed wanders by a fifth between runs); also
   the CPU time per nudge of the worker's process and of
   its sender process (the worker's own, see backend/push/process.py, started
   before the clock as the worker starts it), to tell the dispatcher's cost
   from time this shared machine gave to others.
   On SQLite always, and on PostgreSQL when TEST_DATABASE_URL is set (a
   database of its own, dropped at the end).

    .venv/bin/python bench/push_bench.py [--count 200] [--latency 0.05] [--nudges 5000]
                                         [--rounds 3]
"""
import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(BENCH))
sys.path.insert(0, BENCH)

from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from py_vapid import Vapid  # noqa: E402
from pywebpush import WebPusher  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sync_bench import postgres_database  # noqa: E402

from backend import MIGRATIONS, create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import Nudge, PushSubscription, User, VersionCounter, utcnow  # noqa: E402
from backend.nudges import dispatcher  # noqa: E402
from backend.push import worker_sender  # noqa: E402
from backend.push.sender import CONCURRENCY, PushSender, payload  # noqa: E402
from tests.push import fake_push_server  # noqa: E402
from tests.push.fake_push_service import FakePushService  # noqa: E402

PEOPLE = 1000


def timed_sends(service, devices, concurrency):
    vapid = Vapid()
    vapid.generate_keys()
    sender = PushSender(vapid, "mailto:bench@example.org", allow_private=True,
                        concurrency=concurrency)
    data = payload("Ready for one more?", "One more application, no rush.", "/", "apply",
                   base_url="https://rebound.example")
    started = time.perf_counter()
    outcomes = [o for [o] in sender.send_batch([([target], data, "apply") for target in devices])]
    elapsed = time.perf_counter() - started
    sender.close()
    assert [o.action for o in outcomes] == ["ok"] * len(devices), outcomes
    return elapsed


def raw_encode_rate(keys, seconds=1.0):
    """Encryptions per second of one nudge-sized payload (pywebpush's own encode)."""
    data = payload("Ready for one more?", "One more application, no rush.", "/", "apply",
                   str(uuid.uuid4()), base_url="https://rebound.example")
    pusher = WebPusher({"endpoint": "https://push.example/x", "keys": keys})
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        pusher.encode(data.encode(), content_encoding="aes128gcm")
        count += 1
    return count / (time.perf_counter() - started)


def cpu_seconds(pid):
    """User and system CPU time of a running process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy():
    """(busy, total) clock ticks of every core so far, from /proc/stat (Linux)."""
    with open("/proc/stat") as stat:
        ticks = [int(t) for t in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


def seed(app, url, keys, nudges):
    """PEOPLE people with one subscription each and `nudges` due nudges among them."""
    now = utcnow()
    users, counters, subscriptions, rows = [], [], [], []
    for n in range(PEOPLE):
        user_id = uuid.uuid4()
        users.append({"id": user_id, "email": f"p{n}-{user_id.hex[:6]}@example.org",
                      "password_hash": "x", "timezone": "UTC", "settings": {},
                      "created_at": now, "updated_at": now})
        counters.append({"user_id": user_id, "seq": nudges})
        subscriptions.append({"id": uuid.uuid4(), "user_id": user_id,
                              "endpoint": f"{url}/push/{user_id.hex}", "created_at": now,
                              "failure_count": 0, **keys})
    for n in range(nudges):
        rows.append({"id": uuid.uuid4(), "user_id": users[n % PEOPLE]["id"], "version": n + 1,
                     "created_at": now, "updated_at": now, "kind": "apply",
                     "title": "Ready for one more?", "body": "One more application, no rush.",
                     "url": "/applications", "due_at": now - timedelta(minutes=1),
                     "status": "scheduled", "attempts": 0, "dedupe_key": f"bench:{n}"})
    with app.app_context():
        for model, batch in ((User, users), (VersionCounter, counters),
                             (PushSubscription, subscriptions), (Nudge, rows)):
            for start in range(0, len(batch), 2000):
                db.session.execute(insert(model), batch[start:start + 2000])
        db.session.commit()


def time_dispatch(label, database_url, nudges, keys_for_raw, rounds):
    """`rounds` rounds, each: seed `nudges` due nudges, raw encode rate, the dispatcher,
    raw encode rate again. A round's ratio is against the mean of the two raw rates
    around it, so a spell of this shared machine running slower counts on both sides;
    the median round is the figure (prints every round)."""
    private = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    vapid_key = base64.urlsafe_b64encode(private.to_bytes(32, "big")).rstrip(b"=").decode()
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": database_url,
                      "PUSH_ALLOW_HTTP": True, "VAPID_PRIVATE_KEY": vapid_key})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
    ratios = []
    with tempfile.TemporaryDirectory() as folder, \
            fake_push_server.running(folder) as (url, keys, counts):
        with app.app_context():
            sender = worker_sender(app)  # as `flask nudges work` does, started with the worker
            sender.start()
            sender.send_batch([])  # the child is up and answering
        for number in range(1, rounds + 1):
            seed(app, url, keys, nudges)
            before = raw_encode_rate(keys_for_raw)
            with app.app_context():
                started, cpu = time.perf_counter(), time.process_time()
                child_cpu = cpu_seconds(sender.pid)
                busy = machine_busy()
                result = dispatcher.run_once(sender=sender)
                busy = [b - a for a, b in zip(busy, machine_busy())]
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                child_cpu = cpu_seconds(sender.pid) - child_cpu
                db.session.remove()
            after = raw_encode_rate(keys_for_raw)
            assert result == {"sent": nudges}, result
            raw_rate, rate = (before + after) / 2, nudges / elapsed
            ratios.append(rate / raw_rate)
            print(f"{label} round {number}: dispatcher (claim+send+record, batches of "
                  f"{dispatcher.BATCH}) delivered {nudges} due nudges of {PEOPLE} people in "
                  f"{elapsed:.2f} s ({rate:.0f}/s, CPU a nudge: worker {cpu / nudges * 1e6:.0f} "
                  f"µs, sender {child_cpu / nudges * 1e6:.0f} µs; both cores "
                  f"{busy[0] / busy[1]:.0%} busy); raw WebPusher.encode {before:.0f}/s before, "
                  f"{after:.0f}/s after ({1e6 / raw_rate:.0f} µs); ratio {rate / raw_rate:.3f}")
        with app.app_context():
            sender.close()
            db.engine.dispose()
        received = counts()
    assert received["posts"] == nudges * rounds, received["posts"]
    assert len(received["nudges"]) == nudges * rounds, len(received["nudges"])
    assert set(received["nudges"].values()) == {1}  # each nudge once
    print(f"{label}: dispatcher ratio to raw WebPusher.encode, median of {rounds} rounds: "
          f"{statistics.median(ratios):.3f} (rounds: "
          f"{', '.join(f'{r:.3f}' for r in ratios)}; target >= 0.5)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="pushes per run")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per answer")
    parser.add_argument("--nudges", type=int, default=5000, help="due nudges to dispatch")
    parser.add_argument("--rounds", type=int, default=3, help="dispatcher rounds per database")
    args = parser.parse_args()
    with FakePushService() as service:
        service.delay = args.latency
        devices = []
        for n in range(args.count):
            device = service.device(f"d{n}")
            keys = device.subscription()["keys"]
            devices.append(SimpleNamespace(endpoint=device.endpoint, p256dh=keys["p256dh"],
                                           auth=keys["auth"]))
        one = timed_sends(service, devices, 1)
        pooled = timed_sends(service, devices, CONCURRENCY)
        assert len(service.messages) == 2 * args.count
    print(f"push: {args.count} pushes, {args.latency * 1000:.0f} ms per answer: "
          f"one at a time {one:.2f} s ({args.count / one:.0f}/s), "
          f"{CONCURRENCY} at once {pooled:.2f} s ({args.count / pooled:.0f}/s), "
          f"ratio {one / pooled:.1f}x (target >= 4x)")
    with FakePushService() as service:
        keys = service.device("raw").subscription()["keys"]
    with tempfile.TemporaryDirectory() as folder:
        time_dispatch("sqlite", f"sqlite:///{folder}/dispatch.db", args.nudges, keys,
                      args.rounds)
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        with postgres_database(base) as url:
            time_dispatch("postgresql", url, args.nudges, keys, args.rounds)
    else:
        print("postgresql: skipped (TEST_DATABASE_URL is not set)")


if __name__ == "__main__":
    main()
