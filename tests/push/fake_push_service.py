"""A fake push service on 127.0.0.1: it decrypts what it receives, like a browser would.

Each test subscription gets its own P-256 key pair and auth secret; the service
keeps the decrypted payload and headers of every message, and answers with the
status set for that endpoint path. It can also misbehave the ways a hostile or
broken push service does: huge and odd `Retry-After` answers (`answer`), a
redirect to another listener (`redirect`; every request that arrives anywhere
is kept in `arrivals`), and slow answers (`delay`, or `hold_until_in_flight`,
which keeps every answer back until that many requests are in flight at once,
so a test can show sends overlap without timing them).
"""
import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Device:
    """What a browser keeps for one subscription."""

    def __init__(self, service, name, host=None):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.path = f"/push/{name}"
        # `host`: the name the endpoint uses instead of 127.0.0.1 (a test resolves it).
        base = service.url if host is None else f"{service.scheme}://{host}:{service.port}"
        self.endpoint = base + self.path
        self.service = service

    def subscription(self):
        point = self.private_key.public_key().public_bytes(Encoding.X962,
                                                           PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64(point), "auth": b64(self.auth)},
                "device_label": self.path}

    def received(self):
        """The decrypted JSON payloads this device got, in order."""
        return [json.loads(http_ece.decrypt(body, private_key=self.private_key,
                                            auth_secret=self.auth, version="aes128gcm"))
                for path, _headers, body in self.service.messages if path == self.path]


class _Server(ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: more senders at once than that
    # wait for a SYN retry (about a second) or are refused, which is the fake's
    # limit, not the sender's.
    request_queue_size = 256
    daemon_threads = True


class FakePushService:
    def __init__(self, host="127.0.0.1", port=0, tls=None):
        """`tls`: an ssl.SSLContext to serve https with (a test's own certificate)."""
        self.messages = []
        self.statuses = {}  # path -> (status, extra headers)
        self.delay = 0.0  # seconds each answer takes, like a distant push service
        self.in_flight = self.max_in_flight = 0
        self.arrivals = []  # (method, path) of every request, whatever the answer
        self.gate = None  # a Barrier: answers wait until that many requests are in flight
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, so pooled connections are reused

            def do_POST(self):
                with service.lock:
                    service.arrivals.append(("POST", self.path))
                    service.in_flight += 1
                    service.max_in_flight = max(service.max_in_flight, service.in_flight)
                try:
                    if service.delay:
                        time.sleep(service.delay)
                    if service.gate is not None:
                        try:
                            service.gate.wait()
                        except threading.BrokenBarrierError:
                            pass  # sends did not overlap: answer anyway, the test sees max_in_flight
                    self._answer()
                finally:
                    with service.lock:
                        service.in_flight -= 1

            def do_GET(self):  # what a 301/302/303 turns a followed POST into
                with service.lock:
                    service.arrivals.append(("GET", self.path))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _answer(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, extra = service.statuses.get(self.path, (201, {}))
                if 200 <= status < 300:
                    service.messages.append((self.path, {k.lower(): v for k, v in self.headers.items()},
                                             body))
                self.send_response(status)
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = _Server((host, port), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.scheme = "https" if tls is not None else "http"
        self.url = f"{self.scheme}://{host}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def device(self, name, host=None):
        return Device(self, name, host)

    def answer(self, device, status, **headers):
        """Answer every push to `device` with `status` and these headers (Retry_After=...)."""
        self.statuses[device.path] = (status, {k.replace("_", "-"): v for k, v in headers.items()})

    def redirect(self, device, location, status=307):
        """Answer pushes to `device` with a redirect (307 and 308 keep the POST and its body)."""
        self.statuses[device.path] = (status, {"Location": location})

    def hold_until_in_flight(self, count, timeout=20):
        """Keep every answer back until `count` requests are in flight together (or
        `timeout` seconds passed: then sends did not overlap, and max_in_flight says so)."""
        self.gate = threading.Barrier(count, timeout=timeout)


def verify_vapid(headers, public_key_b64, audience):
    """Check the `Authorization: vapid t=<JWT>, k=<key>` header the way a push service does."""
    scheme, _, params = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key_b64
    head, claims, signature = fields["t"].split(".")
    raw = unb64(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(public_key_b64))
    key.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    claims = json.loads(unb64(claims))
    assert claims["aud"] == audience and claims["sub"].startswith("mailto:")
    return claims
