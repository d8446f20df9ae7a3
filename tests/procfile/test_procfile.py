"""The Procfile run for real (issue 14, SPEC §8): `release`, then `web` in the
production profile under gunicorn with 2 workers and TLS (a self-signed
certificate made here, so `Secure` and `__Host-` cookies work as deployed; only
PUSH_ALLOW_HTTP is relaxed, for the fake push service on loopback), 2 `worker`
processes, PostgreSQL and Redis. Runs when TEST_DATABASE_URL and TEST_REDIS_URL
are set, as in CI.

One scenario over HTTPS: sign up, log a rejection, a second device signs in and
pulls it, a nudge reaches a fake push service through a worker; the login limit
is one count across both gunicorn workers (Redis), per forwarded address
(TRUSTED_PROXIES=1); SIGTERM stops every process with exit code 0, and nothing
acknowledged or claimed is lost.
"""
import base64
import contextlib
import datetime
import ipaddress
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import make_url

from tests.helpers import PASSWORD, postgres_database
from tests.push import fake_push_server

ROOT = Path(__file__).resolve().parents[2]
HEADERS = {"X-Requested-With": "rebound"}
NUDGES, BATCH = 400, 20


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return {name.strip(): shlex.split(command) for name, command in
            (line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))}


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def self_signed(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def wait_until(done, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.05)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def services(tmp_path):
    base, redis_url = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_REDIS_URL")
    if not base or not redis_url:
        pytest.skip("the Procfile run needs TEST_DATABASE_URL and TEST_REDIS_URL")
    with postgres_database(base, "rebound_procfile") as url:
        plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        yield url, plain, redis_url


class Processes:
    """The Procfile's processes, each logging to a file of its own."""

    def __init__(self, folder, env):
        self.folder, self.env, self.running = folder, env, {}

    def start(self, name, command, env=None):
        log = open(self.folder / f"{name}.log", "w")
        proc = subprocess.Popen(command, cwd=ROOT, env={**self.env, **(env or {})}, stdout=log,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        proc.log = self.folder / f"{name}.log"
        self.running[name] = proc
        return proc

    def wait_for(self, name, text, timeout=60):
        proc, deadline = self.running[name], time.monotonic() + timeout
        while text not in proc.log.read_text():
            assert proc.poll() is None, proc.log.read_text()
            assert time.monotonic() < deadline, proc.log.read_text()
            time.sleep(0.1)

    def stop(self, name, timeout=60):
        """SIGTERM, as a platform stops a process; its exit code."""
        proc = self.running[name]
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"{name} did not stop on SIGTERM:\n{proc.log.read_text()}")

    def kill_all(self):
        for proc in self.running.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def vapid():
    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)
    return b64(key.private_numbers().private_value.to_bytes(32, "big")), b64(point)


class Device:
    """A browser's cookie jar and sync cursor, over HTTPS."""

    def __init__(self, base, cert):
        self.base, self.http, self.cursor, self.cert = base, requests.Session(), None, str(cert)
        self.http.headers.update(HEADERS)

    def post(self, path, body, **kw):
        # verify per request: a session's own `verify` loses to REQUESTS_CA_BUNDLE
        return self.http.post(self.base + path, json=body, timeout=20, verify=self.cert, **kw)

    def sync(self, mutations=()):
        answer = self.post("/api/sync", {"cursor": self.cursor, "mutations": list(mutations)})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        self.cursor = body["cursor"]
        return body


def upsert(entity, fields, record_id=None):
    return {"mutation_id": str(uuid.uuid4()), "entity": entity, "op": "upsert",
            "id": record_id or str(uuid.uuid4()), "fields": fields}


def test_the_procfile_runs_as_deployed(services, tmp_path):
    database_url, plain_url, redis_url = services
    cleanup = contextlib.ExitStack()
    push_url, device_keys, push_counts = cleanup.enter_context(
        fake_push_server.running(tmp_path, delay=0.05))
    private, public = vapid()
    cert, key = self_signed(tmp_path)
    port = free_port()
    prefix = f"procfile-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "REBOUND_ENV": "production", "DATABASE_URL": database_url,
           "SECRET_KEY": os.urandom(24).hex(), "VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public,
           "VAPID_SUBJECT": "mailto:ops@rebound.example", "RATELIMIT_STORAGE_URI": redis_url,
           "FLASK_RATELIMIT_KEY_PREFIX": prefix, "TRUSTED_PROXIES": "1", "PUSH_ALLOW_HTTP": "1",
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           # gunicorn reads its settings here, so `web` runs as the Procfile writes it
           "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port} --workers 2 --certfile {cert} "
                                f"--keyfile {key} --graceful-timeout 20"}
    run = Processes(tmp_path, env)
    lines = procfile()
    try:
        release = run.start("release", lines["release"])
        assert release.wait(timeout=120) == 0, release.log.read_text()
        run.start("web", lines["web"])
        run.wait_for("web", "Booting worker with pid", timeout=60)
        base = f"https://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/api/health", verify=str(cert), timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, run.running["web"].log.read_text()
            time.sleep(0.2)
        for n in (1, 2):  # the worker line; short rounds, so a SIGTERM lands mid-run
            run.start(f"worker-{n}", [*lines["worker"], "--interval", "0.3", "--no-sweep",
                                          "--batch-size", str(BATCH)])
            run.wait_for(f"worker-{n}", "Nudge worker started.")

        # 1. Sign up over HTTPS: the session cookie is __Host- and Secure, as deployed.
        phone = Device(base, cert)
        email = f"procfile-{uuid.uuid4().hex[:8]}@example.org"
        answer = phone.post("/api/auth/register", {"email": email, "password": PASSWORD})
        assert answer.status_code == 201, answer.text
        cookie = next(c for c in phone.http.cookies if c.name == "__Host-rebound")
        assert cookie.secure and cookie.path == "/" and not cookie.domain_specified
        assert "Strict-Transport-Security" in answer.headers
        user_id = answer.json()["id"]

        # 2. Log a rejection on the phone; a laptop signs in and pulls it.
        rejection = upsert("rejections", {"company": "Initech", "stage": "interview", "mood": 2,
                                          "received_on": datetime.date.today().isoformat()})
        assert phone.sync([rejection])["applied"] == [rejection["mutation_id"]]
        laptop = Device(base, cert)
        assert laptop.post("/api/auth/login", {"email": email, "password": PASSWORD}).status_code == 200
        pulled = laptop.sync()
        assert [(c["entity"], c["id"], c["data"]["company"]) for c in pulled["changes"]
                if c["entity"] == "rejections"] == [("rejections", rejection["id"], "Initech")]

        # 3. The phone subscribes; NUDGES nudges fall due; the workers deliver them,
        #    encrypted, to the fake push service (which decrypts and counts each id).
        answer = phone.post("/api/push/subscriptions", {"endpoint": f"{push_url}/push/{user_id}",
                                                        "keys": device_keys})
        assert answer.status_code == 201, answer.text
        ids = seed_due_nudges(plain_url, user_id)
        wait_until(lambda: push_counts()["posts"] >= 20, "the first pushes")

        # 4. SIGTERM both workers mid-run: each finishes what it holds and exits 0;
        #    nothing stays claimed. A worker started again sends the rest, each once.
        assert [run.stop("worker-1"), run.stop("worker-2")] == [0, 0]
        states = nudge_states(plain_url, ids)
        print(f"after SIGTERM mid-run: {states}; the push service saw {push_counts()['posts']} posts")
        assert set(states) <= {"sent", "scheduled"}, states
        assert states.get("sent", 0) == len(push_counts()["nudges"].keys() & ids)
        run.start("worker-3", [*lines["worker"], "--interval", "0.3", "--no-sweep",
                                          "--batch-size", str(BATCH)])
        run.wait_for("worker-3", "Nudge worker started.")
        deadline = time.monotonic() + 120
        while nudge_states(plain_url, ids).get("sent", 0) < len(ids):
            assert time.monotonic() < deadline, nudge_states(plain_url, ids)
            time.sleep(0.2)
        received = push_counts()["nudges"]
        assert {n: received.get(n) for n in ids} == {n: 1 for n in ids}
        assert run.stop("worker-3") == 0

        # 5. The login limit (25 per 5 minutes per address) is one count across both
        #    gunicorn workers: each try on a new connection, answered by either.
        forwarded = {"X-Forwarded-For": "203.0.113.7"}
        for n in range(25):
            answer = requests.post(base + "/api/auth/login", json={"email": f"x{n}@example.org",
                                   "password": "not it"}, headers={**HEADERS, **forwarded},
                                   verify=str(cert), timeout=20)
            assert answer.status_code == 401, answer.text
        answer = requests.post(base + "/api/auth/login", json={"email": email, "password": PASSWORD},
                               headers={**HEADERS, **forwarded}, verify=str(cert), timeout=20)
        assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0, answer.text
        # TRUSTED_PROXIES=1: the address the proxy saw is the bucket, not the proxy's
        answer = requests.post(base + "/api/auth/login", json={"email": email, "password": PASSWORD},
                               headers={**HEADERS, "X-Forwarded-For": "203.0.113.8"},
                               verify=str(cert), timeout=20)
        assert answer.status_code == 200, answer.text
        store = redis.Redis.from_url(redis_url)
        assert store.keys(f"*{prefix}*203.0.113.7*")

        # 6. SIGTERM the web process while a device writes: every write it
        #    acknowledged is in the database; gunicorn and its workers exit 0.
        acked, stop = [], threading.Event()

        def keep_writing():
            while not stop.is_set():
                mutation = upsert("contacts", {"name": f"Friend {len(acked)}"})
                try:
                    body = phone.sync([mutation])
                except (requests.ConnectionError, AssertionError):
                    return
                if mutation["mutation_id"] in body["applied"]:
                    acked.append(mutation["id"])

        writer = threading.Thread(target=keep_writing)
        writer.start()
        wait_until(lambda: len(acked) >= 10 or not writer.is_alive(), "ten acknowledged writes")
        assert run.stop("web") == 0, run.running["web"].log.read_text()
        stop.set()
        writer.join(timeout=30)
        with psycopg.connect(plain_url) as conn:
            stored = {str(r[0]) for r in conn.execute("SELECT id FROM contacts WHERE user_id = %s",
                                                      (uuid.UUID(user_id),))}
        assert set(acked) <= stored, set(acked) - stored
        print(f"web stopped with {len(acked)} writes acknowledged, all stored")
        assert "Worker exiting" in run.running["web"].log.read_text()
        assert "Traceback" not in run.running["web"].log.read_text()
    finally:
        run.kill_all()
        cleanup.close()


def seed_due_nudges(url, user_id):
    """NUDGES nudges of this person, due a minute ago (the test's clock, not the planner's)."""
    ids = [uuid.uuid4() for _ in range(NUDGES)]
    with psycopg.connect(url) as conn:
        seq = conn.execute("UPDATE version_counters SET seq = seq + %s WHERE user_id = %s RETURNING seq",
                           (NUDGES, uuid.UUID(user_id))).fetchone()[0]
        conn.cursor().executemany(
            "INSERT INTO nudges (id, user_id, version, created_at, updated_at, kind, title, body, url, "
            "due_at, status, attempts, dedupe_key) VALUES (%s, %s, %s, now(), now(), 'apply', "
            "'Ready for one more?', 'No rush.', '/applications', now() - interval '1 minute', "
            "'scheduled', 0, %s)",
            [(n, uuid.UUID(user_id), seq - NUDGES + k + 1, f"procfile:{k}") for k, n in enumerate(ids)])
    return {str(n) for n in ids}


def nudge_states(url, ids):
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT status, lease_until IS NOT NULL AND status = 'scheduled', count(*) "
                            "FROM nudges WHERE id = ANY(%s) GROUP BY 1, 2",
                            ([uuid.UUID(n) for n in ids],)).fetchall()
    states = {}
    for status, leased, count in rows:
        key = f"{status} (still leased)" if leased else status
        states[key] = states.get(key, 0) + count
    return states
