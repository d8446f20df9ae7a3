"""A fake push service in a process of its own (asyncio), for load: the benchmark
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
    """A protocol factory for the server. It speaks just enough HTTP/1.1 (keep-alive,
    Content-Length bodies) to cost far less per request than the sender it answers:
    a web framework here took about 200 µs a request, as much as the sender's
    encryption, on the same two cores. Bodies are decrypted when /counts is asked,
    not while answering, for the same reason; every body is still decrypted and
    counted by nudge id."""
    posts, nudges, bodies = [0], {}, []
    private_key = auth = None
    if keys:
        value = int.from_bytes(unb64(keys["private_key"]), "big")
        private_key = ec.derive_private_key(value, ec.SECP256R1())
        auth = unb64(keys["auth"])

    def counts():
        while bodies:
            plain = http_ece.decrypt(bodies.pop(), private_key=private_key, auth_secret=auth,
                                     version="aes128gcm")
            nudge = nudge_id_of(json.loads(plain))
            nudges[nudge] = nudges.get(nudge, 0) + 1
        return json.dumps({"posts": posts[0], "nudges": nudges}).encode()

    class Handler(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport, self.buffer, self.waiting = transport, bytearray(), False

        def data_received(self, data):
            self.buffer += data
            self.next_request()

        def next_request(self):
            while not self.waiting and not self.transport.is_closing():
                end = self.buffer.find(b"\r\n\r\n")
                if end < 0:
                    return
                request_line, *lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
                method, path, _version = request_line.split(" ", 2)
                length = 0
                for line in lines:
                    name, _colon, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if len(self.buffer) < end + 4 + length:
                    return
                body = bytes(self.buffer[end + 4:end + 4 + length])
                del self.buffer[:end + 4 + length]
                if delay:
                    self.waiting = True
                    asyncio.get_running_loop().call_later(delay, self.answer, method, path, body)
                else:
                    self.answer(method, path, body)

        def answer(self, method, path, body):
            self.waiting = False
            if method == "POST" and path.startswith("/push/"):
                posts[0] += 1
                if private_key is not None:
                    bodies.append(body)
                self.transport.write(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
            elif method == "GET" and path == "/counts":
                data = counts()
                self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                     b"Connection: close\r\nContent-Length: %d\r\n\r\n%s"
                                     % (len(data), data))
                self.transport.close()
            else:
                self.transport.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            self.next_request()

    return Handler


async def serve(handler, port):
    server = await asyncio.get_running_loop().create_server(handler, "127.0.0.1", port,
                                                            backlog=1024)
    print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
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
