"""Push benchmark (not a test): does sending several pushes at once pay off?

Sends the same 200 encrypted, VAPID-signed pushes (pywebpush, aes128gcm) to a
fake push service on 127.0.0.1 that answers each after 50 ms, as a distant
push service would: once one at a time (concurrency 1) and once with the
sender's default pool, both through the same pooled HTTP session. Prints each
time and their ratio (target: the pool at least 4 times faster).

    .venv/bin/python bench/push_bench.py [--count 200] [--latency 0.05]
"""
import argparse
import os
import sys
import time
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from py_vapid import Vapid  # noqa: E402

from backend.push.sender import CONCURRENCY, PushSender, payload  # noqa: E402
from tests.push.fake_push_service import FakePushService  # noqa: E402


def timed_sends(service, devices, concurrency):
    vapid = Vapid()
    vapid.generate_keys()
    sender = PushSender(vapid, "mailto:bench@example.org", allow_private=True,
                        concurrency=concurrency)
    data = payload("Ready for one more?", "One more application, no rush.", "/", "apply")
    started = time.perf_counter()
    outcomes = sender.map(lambda target: sender.send(target, data, "apply"), devices)
    elapsed = time.perf_counter() - started
    assert [o.action for o in outcomes] == ["ok"] * len(devices), outcomes
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="pushes per run")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per answer")
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


if __name__ == "__main__":
    main()
