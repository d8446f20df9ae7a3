"""Password reset timing benchmark (not a test): can the answer tell whether an
account exists?

Asks for a reset link many times for an email that has an account and for
one that has none, interleaved, through the test client against a SQLite file
and a real SMTP sink on 127.0.0.1, and prints the median of each and their
ratio (target: within 10% of each other, ratio 0.9-1.1).

    .venv/bin/python bench/reset_bench.py [--rounds 300]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flask_migrate import upgrade  # noqa: E402

from backend import MIGRATIONS, create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from tests.mail_sink import running_inbox  # noqa: E402

HEADERS = {"X-Requested-With": "rebound"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_inbox() as inbox:
        app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp}/b.db",
                          "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox.port,
                          "PUBLIC_URL": "https://rebound.example",
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade(directory=MIGRATIONS)
        client = app.test_client()
        assert client.post("/api/auth/register", headers=HEADERS, json={
            "email": "known@example.org", "password": "correct horse battery"}
        ).status_code == 201
        times = {"known": [], "unknown": []}
        sent = 0
        for n in range(args.rounds):
            for kind in (("known", "unknown") if n % 2 else ("unknown", "known")):
                email = "known@example.org" if kind == "known" else f"nobody{n}@example.org"
                started = time.perf_counter()
                response = client.post("/api/auth/reset", headers=HEADERS, json={"email": email})
                times[kind].append(time.perf_counter() - started)
                assert response.status_code == 202
                if kind == "known":
                    # The sink runs in this process: let it take the mail before the next
                    # request, so its work is not charged to whichever request comes next.
                    inbox.wait_for(sent := sent + 1)
                    time.sleep(0.02)  # and let the mail thread say QUIT
                else:
                    time.sleep(0.02)  # the same pause, so both start from a quiet process
        with app.app_context():
            db.engine.dispose()
    known, unknown = (statistics.median(times[k]) * 1000 for k in ("known", "unknown"))
    print(f"reset: median answer, {args.rounds} rounds interleaved: known email {known:.2f} ms, "
          f"unknown email {unknown:.2f} ms, ratio {known / unknown:.2f} (target 0.9-1.1)")


if __name__ == "__main__":
    main()
