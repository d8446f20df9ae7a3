"""API benchmark (not a test): what the hot paths cost under load, as ratios to health.

The production profile under gunicorn with 2 workers (the Procfile's web command, rate
limits off with FLASK_RATELIMIT_ENABLED=false as for any load test), `wrk` as the load
generator (`-t2 -c16`), on SQLite and PostgreSQL, each path in interleaved, repeated
rounds (round 1: every path on SQLite, then on PostgreSQL; round 2; ...), with a health
run before and after every path. Printed for each path: the median requests per second,
and the median over the rounds of its ratio to the mean of the two health runs around
it (so a shared machine whose load drifts skews no path more than another):

- `GET /api/rejections?page_size=50`: page 1 of an account of 100 full rejections
  (target >= 0.3 x health);
- `POST /api/sync` pull of 100 changes (the same account from a null cursor;
  target >= 0.25);
- `POST /api/sync` one upsert + pull: a check-in's mood and note edited by one of 16
  users in turn, then the pull from the cursor before the run (planning on, as in
  production, but no rule reads those fields, so this write does not re-plan;
  target >= 0.12);
- `POST /api/sync` one upsert that re-plans + pull: the same with a rejection's lessons,
  which the reflect rule reads, so every write runs reconcile (same target);
- page 1 of an account of 50,000 rejections against page 1 of the 100 (time ratio,
  target <= 1.5), and page 100 of the 50,000 (for information: what an offset costs).

Then the median argon2id verify time (target <= 50 ms) in this process, and the peak
resident memory (VmHWM) of the largest gunicorn worker of each database after its run.

PostgreSQL: in a database of its own on BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
postgresql://postgres@127.0.0.1:5432/postgres (dropped at the end; skipped with a note
when the server does not answer).

    .venv/bin/python bench/api_bench.py            # 3 rounds of 2 s runs: ~3 minutes
    .venv/bin/python bench/api_bench.py --long     # 5 rounds of 10 s a path
    .venv/bin/python bench/api_bench.py --only sqlite
    WRK_TC="-t1 -c1" .venv/bin/python bench/api_bench.py   # other wrk threads/connections

`wrk` is Debian's package: `sudo apt-get install -y wrk` (or build it from
https://github.com/wg/wrk). No test runs this file.
"""
import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sqlalchemy import insert, make_url, text, update  # noqa: E402

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import Checkin, Rejection, VersionCounter  # noqa: E402
from backend.services import accounts, passwords, sessions  # noqa: E402

LARGE = 50_000
SMALL = 100
WRITERS = 16
SECRET = "api-bench-" + uuid.uuid4().hex
HEALTH, LIST, PULL, UPSERT, REPLAN, DEEP_FIRST, DEEP_PAGE = (
    "GET /api/health", "GET /api/rejections?page_size=50 (50 full records)",
    "POST /api/sync pull of 100 changes", "POST /api/sync one upsert + pull",
    "POST /api/sync one upsert that re-plans + pull",
    "GET /api/rejections?page_size=50 of 50,000 records",
    "GET /api/rejections?page=100&page_size=50 of 50,000 records")
TARGETS = {LIST: 0.3, PULL: 0.25, UPSERT: 0.12, REPLAN: 0.12}

# One upsert + pull: each request takes the next writer (its cookie, record and cursor)
# and a fresh mutation id, so every request is applied, none skipped as a retry.
UPSERT_LUA = """
local writers = {%s}
local n = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  math.randomseed(os.time() * 100 + tid)
end
local function hex(k)
  local s = ""
  for i = 1, k do s = s .. string.format("%%x", math.random(0, 15)) end
  return s
end
function request()
  n = n %% #writers + 1
  local w = writers[n]
  local mid = hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-a" .. hex(3) .. "-" .. hex(12)
  local body = '{"cursor": ' .. w[3] .. ', "mutations": [{"mutation_id": "' .. mid ..
    '", "entity": "checkins", "op": "upsert", "id": "' .. w[2] ..
    '", "fields": {"mood": ' .. math.random(1, 5) .. ', "note": "A steadier day."}}]}'
  return wrk.format("POST", "/api/sync", {["Cookie"] = w[1],
    ["Content-Type"] = "application/json", ["X-Requested-With"] = "rebound"}, body)
end
"""
# The same, on a field a rule reads: each write re-plans the user's nudges.
REPLAN_LUA = UPSERT_LUA.replace('"entity": "checkins"', '"entity": "rejections"').replace(
    "w[2]", "w[4]").replace(
    """'", "fields": {"mood": ' .. math.random(1, 5) .. ', "note": "A steadier day."}}]}'""",
    """'", "fields": {"lessons": "Ask about the team ' .. hex(6) .. '."}}]}'""")

POST_LUA = """
wrk.method = "POST"
wrk.body = '%s'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Requested-With"] = "rebound"
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="5 rounds of 10 s a path")
    parser.add_argument("--rounds", type=int, help="rounds (default 3, --long 5)")
    parser.add_argument("--seconds", type=int, help="seconds a run (default 2, --long 10)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.long else 3)
    seconds = args.seconds or (10 if args.long else 2)
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is missing: sudo apt-get install -y wrk (Debian), or build it from "
                 "https://github.com/wg/wrk, then run this again.")
    with tempfile.TemporaryDirectory() as folder, Databases(folder, args.only) as urls:
        servers = [Server(label, url, folder) for label, url in urls]
        try:
            for server in servers:
                server.seed()
                server.start()
            results = {server.label: {} for server in servers}
            for round_ in range(rounds):
                for server in servers:
                    run_round(wrk, server, seconds, results[server.label])
                print(f"round {round_ + 1} of {rounds} done", file=sys.stderr)
            for server in servers:
                report(server, results[server.label])
                print(f"{server.label}: peak memory of one gunicorn worker after the run: "
                      f"{server.peak_worker_mib():.1f} MiB (VmHWM of the largest of 2)")
        finally:
            for server in servers:
                server.stop()
    verify = argon2_verify_ms()
    print(f"argon2id verify (19 MiB, t=2, p=1), median of 20: {verify:.1f} ms "
          f"(target <= 50 ms)")


def run_round(wrk, server, seconds, results):
    """Health before and after every path: each path's ratio is to the mean of the two
    health runs around it, so a machine whose load drifts skews no path more than
    another."""
    paths = server.paths()
    health = paths.pop(HEALTH)
    before = run_wrk(wrk, server, health, seconds)
    results.setdefault(HEALTH, []).append(before)
    for path, run in paths.items():
        rps = run_wrk(wrk, server, run, seconds)
        if path in (UPSERT, REPLAN):
            time.sleep(2)  # let the write burst settle before the health run after it
        after = run_wrk(wrk, server, health, seconds)
        results.setdefault(HEALTH, []).append(after)
        results.setdefault(path, []).append(rps)
        results.setdefault(("ratio", path), []).append(rps / ((before + after) / 2))
        before = after


def report(server, results):
    label = server.label
    print(f"{label}: {HEALTH}: {statistics.median(results[HEALTH]):,.0f} rps")
    for path in (LIST, PULL, UPSERT, REPLAN):
        ratio = statistics.median(results["ratio", path])
        print(f"{label}: {path}: {statistics.median(results[path]):,.0f} rps, "
              f"{ratio:.2f} x health (target >= {TARGETS[path]})")
    # Time per request is 1 / rps: the deep account's page 1 against the small one's.
    for deep, name, target in ((DEEP_FIRST, "page 1", " (target <= 1.5)"),
                               (DEEP_PAGE, "page 100", "")):
        ratio = statistics.median(s / d for s, d in zip(results["ratio", LIST],
                                                        results["ratio", deep]))
        print(f"{label}: {name} of 50,000 records against page 1 of 100: "
              f"{statistics.median(results[deep]):,.0f} rps, time ratio {ratio:.2f}{target}")


def run_wrk(wrk, server, run, seconds):
    path, script, cookie = run
    command = [wrk, *os.environ.get("WRK_TC", "-t2 -c16").split(), f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", script]
    out = subprocess.run(command + [server.base + path], capture_output=True, text=True,
                         check=True).stdout
    rps = next(float(line.split()[1]) for line in out.splitlines()
               if line.startswith("Requests/sec:"))
    bad = [line for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    if bad:
        print(f"{server.label} {path}: {'; '.join(s.strip() for s in bad)}", file=sys.stderr)
    return rps


class Server:
    """One database, seeded, served by gunicorn with 2 workers in the production profile."""

    def __init__(self, label, url, folder):
        self.label, self.url, self.folder = label, url, folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.env = production_env(url)

    def app(self):
        env = {k: v for k, v in self.env.items() if k not in os.environ}
        os.environ.update(env)
        try:
            return create_app({"DATABASE_URL": self.url, "NUDGES_PLAN_ON_WRITE": False})
        finally:
            for key in env:
                del os.environ[key]

    def seed(self):
        app = self.app()
        migrate(app)
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        with app.app_context():
            small = seed_user(app, SMALL, "small")
            large = seed_user(app, LARGE, "large")
            writers = [seed_writer(app, n) for n in range(WRITERS)]
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            db.engine.dispose()
        self.small, self.large = small, large
        pull = os.path.join(self.folder, f"{self.label}-pull.lua")
        with open(pull, "w") as f:
            f.write(POST_LUA % '{"cursor": null, "mutations": []}')
        upsert = os.path.join(self.folder, f"{self.label}-upsert.lua")
        listed = ", ".join(f'{{"{self.cookie_name}={cookie}", "{record}", {cursor}, "{rejection}"}}'
                           for cookie, record, cursor, rejection in writers)
        with open(upsert, "w") as f:
            f.write(UPSERT_LUA % listed)
        replan = os.path.join(self.folder, f"{self.label}-replan.lua")
        with open(replan, "w") as f:
            f.write(REPLAN_LUA % listed)
        self.scripts = {"pull": pull, "upsert": upsert, "replan": replan}

    def paths(self):
        small = f"{self.cookie_name}={self.small}"
        large = f"{self.cookie_name}={self.large}"
        # The writes come last in a round (and a pause after them), so no read runs in
        # the wake of a write burst (SQLite's WAL, PostgreSQL's dead rows).
        return {HEALTH: ("/api/health", None, None),
                LIST: ("/api/rejections?page_size=50", None, small),
                PULL: ("/api/sync", self.scripts["pull"], small),
                DEEP_FIRST: ("/api/rejections?page_size=50", None, large),
                DEEP_PAGE: ("/api/rejections?page=100&page_size=50", None, large),
                UPSERT: ("/api/sync", self.scripts["upsert"], None),
                REPLAN: ("/api/sync", self.scripts["replan"], None)}

    def start(self):
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "backend:create_app()"],
            cwd=ROOT, env={**os.environ, **self.env})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn for {self.label} did not start")
        time.sleep(1)  # both workers booted

    def worker_pids(self):
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                             text=True).stdout
        return [int(pid) for pid in out.split()]

    def peak_worker_mib(self):
        peaks = []
        for pid in self.worker_pids():
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        return max(peaks)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def production_env(url):
    from py_vapid import Vapid

    from backend.push.keys import _b64url
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    vapid = Vapid()
    vapid.generate_keys()
    private = _b64url(vapid.private_key.private_numbers().private_value.to_bytes(32, "big"))
    public = _b64url(vapid.public_key.public_bytes(Encoding.X962,
                                                   PublicFormat.UncompressedPoint))
    return {"REBOUND_ENV": "production", "DATABASE_URL": url, "SECRET_KEY": SECRET,
            "VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public,
            "VAPID_SUBJECT": "mailto:bench@example.org", "FLASK_RATELIMIT_ENABLED": "false"}


def migrate(app):
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=os.path.join(ROOT, "migrations"))


def new_user(app, name):
    user = accounts.register(f"{name}-{uuid.uuid4().hex[:10]}@example.org",
                             "correct horse battery")
    token = sessions.start(user, "bench")
    db.session.commit()
    return user.id, cookie_for(app, token)


def seed_user(app, count, name):
    """A user with `count` rejections, every field filled, one every 2 hours back from
    now; returns their cookie."""
    user_id, cookie = new_user(app, name)
    now = datetime.now(timezone.utc)
    rows = []
    for version in range(1, count + 1):
        at = now - version * timedelta(hours=2)
        rows.append({
            "id": uuid.uuid4(), "user_id": user_id, "version": version, "created_at": at,
            "updated_at": at, "deleted_at": None, "company": f"Company {version}",
            "role": "Senior product engineer", "stage": "interview", "received_on": at.date(),
            "mood": version % 5 + 1, "emotions": ["disappointed", "hopeful"],
            "feelings": "Disappointed, but the panel was kind and I learned a lot. " * 3,
            "feedback_status": "received", "feedback_requested_on": at.date(),
            "feedback": "Strong on product sense; go deeper on system design next time.",
            "contact_email": "recruiter@example.org",
            "went_well": "The take-home and the culture conversation.",
            "do_differently": "Practise a system design round out loud.",
            "lessons": "Ask what the bar is before the final round.",
            "thinking_traps": ["personalizing", "overgeneralizing"],
            "reframe": "One panel's no is not a verdict on my career."})
    for start in range(0, len(rows), 5_000):
        db.session.execute(insert(Rejection), rows[start:start + 5_000])
    db.session.execute(update(VersionCounter).where(VersionCounter.user_id == user_id)
                       .values(seq=count))
    db.session.commit()
    return cookie


def seed_writer(app, n):
    """A user with 10 rejections and one check-in, which the upsert runs edit; returns
    (cookie, check-in id, cursor after the seed, the newest rejection's id)."""
    user_id, cookie = new_user(app, f"writer{n}")
    now = datetime.now(timezone.utc)
    record = uuid.uuid4()
    rejections = [uuid.uuid4() for _ in range(10)]
    db.session.execute(insert(Rejection), [{
        "id": rejections[v - 1], "user_id": user_id, "version": v, "created_at": now,
        "updated_at": now, "company": f"Company {v}", "received_on": now.date() - timedelta(v),
        "mood": 3, "emotions": [], "thinking_traps": [], "feedback_status": "not_requested"}
        for v in range(1, 11)])
    db.session.execute(insert(Checkin), [{
        "id": record, "user_id": user_id, "version": 11, "created_at": now, "updated_at": now,
        "at": now, "mood": 3, "emotions": [], "note": "Seeded."}])
    db.session.execute(update(VersionCounter).where(VersionCounter.user_id == user_id)
                       .values(seq=11))
    db.session.commit()
    return cookie, record, 11, rejections[0]


def cookie_for(app, token):
    """The cookie a browser holds after its last response: refreshed today."""
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": token, "_fresh": True, "_permanent": True,
                             "refreshed": date.today().isoformat()})


def argon2_verify_ms():
    digest = passwords.hash_password("correct horse battery")
    samples = []
    for _ in range(20):
        started = time.perf_counter()
        assert passwords.verify_password(digest, "correct horse battery")
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Databases:
    """SQLite in `folder`, and PostgreSQL in a database of its own, dropped at the end."""

    def __init__(self, folder, only):
        self.folder, self.only, self.admin, self.name = folder, only, None, None

    def __enter__(self):
        urls = []
        if self.only != "postgresql":
            urls.append(("sqlite", f"sqlite:///{self.folder}/bench.db"))
        if self.only != "sqlite":
            import psycopg

            base = make_url(os.environ.get("BENCH_DATABASE_URL")
                            or os.environ.get("TEST_DATABASE_URL")
                            or "postgresql://postgres@127.0.0.1:5432/postgres")
            self.admin = base.set(drivername="postgresql").render_as_string(
                hide_password=False)
            self.name = f"rebound_api_bench_{uuid.uuid4().hex[:10]}"
            try:
                with psycopg.connect(self.admin, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f'CREATE DATABASE "{self.name}"')
            except psycopg.OperationalError as error:
                print(f"postgresql: skipped ({error})")
                self.name = None
            else:
                urls.append(("postgresql", base.set(
                    drivername="postgresql+psycopg", database=self.name)
                    .render_as_string(hide_password=False)))
        return urls

    def __exit__(self, *exc):
        if self.name:
            import psycopg

            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
