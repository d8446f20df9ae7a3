"""Browser tests: a live server on a free port with a fresh SQLite database,
driven by Debian's Chromium through Playwright for Python.

Set REBOUND_E2E_BASE_URL to run against a server that is already running.
The live server mails through an SMTP sink on 127.0.0.1 (tests/mail_sink.py),
so a test can open the password reset link it sends.
"""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.mail_sink import running_inbox

from .pages import Rebound

ROOT = Path(__file__).resolve().parents[2]
E2E = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url, proc, log_path, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited early:\n{Path(log_path).read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server did not become healthy:\n{Path(log_path).read_text()[-3000:]}")


@contextlib.contextmanager
def _serve(tmp, app="backend", extra_env=None, inbox=None, port=None):
    """Migrates a fresh SQLite file in `tmp` and runs `flask run` on a free port
    (or on `port`). With an `inbox` (tests/mail_sink.py), the server mails
    through it and its reset links point at the server itself."""
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}"
    mail = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(inbox.port), "PUBLIC_URL": url} if inbox else {}
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
        "REBOUND_ENV": "development",
        "FLASK_RATELIMIT_ENABLED": "false",
        "SECRET_KEY": "e2e-tests-only-not-a-secret",
        "PYTHONUNBUFFERED": "1",
        **mail,
        **(extra_env or {}),
    }
    flask = [sys.executable, "-m", "flask", "--app", app]
    done = subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"flask db upgrade failed:\n{done.stdout}\n{done.stderr}")
    log_path = tmp / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [*flask, "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(url, proc, log_path)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def mail_inbox():
    """The SMTP sink the live server mails through (None for a given server)."""
    if os.environ.get("REBOUND_E2E_BASE_URL"):
        yield None
        return
    with running_inbox() as inbox:
        yield inbox


@pytest.fixture(scope="session")
def live_server_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def live_server(live_server_dir, mail_inbox):
    given = os.environ.get("REBOUND_E2E_BASE_URL")
    if given:
        yield given.rstrip("/")
        return
    with _serve(live_server_dir, inbox=mail_inbox) as url:
        yield url


@pytest.fixture(scope="session")
def live_database_url(live_server, live_server_dir):
    """The live server's database, for what only the server writes (nudges).
    With REBOUND_E2E_BASE_URL, set REBOUND_E2E_DATABASE_URL to that server's."""
    if os.environ.get("REBOUND_E2E_BASE_URL"):
        given = os.environ.get("REBOUND_E2E_DATABASE_URL")
        if not given:
            pytest.fail("REBOUND_E2E_DATABASE_URL is needed with REBOUND_E2E_BASE_URL for this test")
        return given
    return f"sqlite:///{live_server_dir / 'e2e.db'}"


@pytest.fixture
def copied_frontend(tmp_path):
    """A server of its own on a copy of frontend/, which a test may change
    (a new sw.js) without touching the repository."""
    copy = tmp_path / "frontend"
    shutil.copytree(ROOT / "frontend", copy)
    with _serve(tmp_path, app="tests.e2e.frontend_copy", extra_env={"REBOUND_E2E_FRONTEND": str(copy)}) as url:
        yield url, copy


class CopiedFrontend:
    """A server of its own on a copy of frontend/ that can be restarted on the
    same address (one origin, so the browser keeps its service worker), as a
    deploy does: the server reads the shell when it starts."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.copy = tmp / "frontend"
        shutil.copytree(ROOT / "frontend", self.copy)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._running = None

    def start(self):
        self._running = _serve(self.tmp, app="tests.e2e.frontend_copy", port=self.port,
                               extra_env={"REBOUND_E2E_FRONTEND": str(self.copy)})
        assert self._running.__enter__() == self.url

    def stop(self):
        if self._running:
            self._running.__exit__(None, None, None)
            self._running = None

    def restart(self):
        self.stop()
        self.start()


@pytest.fixture
def restartable_frontend(tmp_path):
    server = CopiedFrontend(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def axe_source():
    """axe-core from tests/e2e/node_modules (npm ci, see package.json)."""
    path = E2E / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists() and shutil.which("npm"):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=E2E, check=False)
    if not path.exists():
        pytest.fail("axe-core is missing: run `npm ci` in tests/e2e")
    return path.read_text()


@pytest.fixture(scope="session")
def playwright_instance():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def rebound(browser, live_server):
    """Opens contexts on the live server; closes them after the test."""
    rebound = Rebound(browser, live_server)
    yield rebound
    rebound.close()


@pytest.fixture(scope="module")
def push_server(tmp_path_factory):
    """A live server of its own that takes push endpoints on loopback
    (PUSH_ALLOW_HTTP), so it sends to a fake push service in the test; yields
    (url, path of its SQLite database)."""
    tmp = tmp_path_factory.mktemp("push")
    port = _free_port()
    public = f"http://127.0.0.1:{port}"  # the absolute `navigate` of its push messages
    with _serve(tmp, extra_env={"PUSH_ALLOW_HTTP": "1", "PUBLIC_URL": public}, port=port) as url:
        yield url, tmp / "e2e.db"
