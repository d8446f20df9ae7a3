"""A fake push service in a process of its own (aiohttp), for load: the benchmark
and the multi-worker delivery test send thousands of pushes to it.

    python -m tests.push.fake_push_server --key-file KEYS.json [--delay 0.0]

It prints `listening on PORT` once ready. Every POST to /push/<anything> is
answered 201 after `--delay` seconds; with `--key-file` (a JSON object with
`private_key`, the raw P-256 private value as base64url, and `auth`, base64url)
it decrypts each body like a browser would and counts the nudge id inside (when
/counts is asked, so answering stays cheap).
`GET /counts` answers {"posts": n, "nudges": {nudge_id: times}}.
"""
import argparse
import asyncio
import base64
import contextlib
import json
import os
import subprocess
import sys
import urllib.request

import http_ece
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def nudge_id_of(message):
    """The nudge id in a payload, in the declarative shape or the older flat one."""
    data = (message.get("notification") or {}).get("data") or {}
    return data.get("nudge_id") or message.get("nudge_id")


def build(keys, delay):
    """The app. Bodies are decrypted when /counts is asked, not while answering: the
    service answers at once and keeps its CPU out of the way of a sender measured
    next to it (the benchmark); every body is still decrypted and counted."""
    posts, nudges, bodies = [0], {}, []
    private_key = auth = None
    if keys:
        value = int.from_bytes(unb64(keys["private_key"]), "big")
        private_key = ec.derive_private_key(value, ec.SECP256R1())
        auth = unb64(keys["auth"])

    async def push(request):
        body = await request.read()
        if delay:
            await asyncio.sleep(delay)
        posts[0] += 1
        if private_key is not None:
            bodies.append(body)
        return web.Response(status=201)

    async def counts(_request):
        while bodies:
            plain = http_ece.decrypt(bodies.pop(), private_key=private_key, auth_secret=auth,
                                     version="aes128gcm")
            nudge = nudge_id_of(json.loads(plain))
            nudges[nudge] = nudges.get(nudge, 0) + 1
        return web.json_response({"posts": posts[0], "nudges": nudges})

    app = web.Application(client_max_size=8192)
    app.router.add_post("/push/{name:.*}", push)
    app.router.add_get("/counts", counts)
    return app


async def serve(app, port):
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    print(f"listening on {site._server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()


@contextlib.contextmanager
def running(folder, delay=0.0):
    """Start the server in its own process with one device key (every subscription
    may share it); yields (base URL, {"p256dh", "auth"}, counts())."""
    key = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    key_file = os.path.join(folder, "push-keys.json")
    with open(key_file, "w") as f:
        json.dump({"private_key": b64(key.private_numbers().private_value.to_bytes(32, "big")),
                   "auth": b64(auth)}, f)
    proc = subprocess.Popen([sys.executable, "-m", "tests.push.fake_push_server",
                             "--key-file", key_file, "--delay", str(delay)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline().split()[-1])
        url = f"http://127.0.0.1:{port}"
        point = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)

        def counts():
            with urllib.request.urlopen(f"{url}/counts", timeout=10) as answer:
                return json.load(answer)

        yield url, {"p256dh": b64(point), "auth": b64(auth)}, counts
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--key-file")
    args = parser.parse_args()
    keys = json.load(open(args.key_file)) if args.key_file else None
    try:
        asyncio.run(serve(build(keys, args.delay), args.port))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
