"""Sends one web push message with pywebpush (aes128gcm, VAPID), used by the web
process (`POST /api/push/test`) and the nudge worker alike.

pywebpush has no HTTP timeout and a TTL of 0 by default, and it writes `aud`
and `exp` into the claims dict it is given: so we pass a timeout and a 24 h
TTL, and build a fresh claims dict for every push-service origin.
"""
import json
import logging
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
from pywebpush import WebPushException, webpush

from .endpoints import MAX_PER_USER, AddressRefused, checked_addresses
from .transport import PushSession, pinned

log = logging.getLogger(__name__)

TTL_SECONDS = 24 * 60 * 60
TIMEOUT_SECONDS = 10
MAX_BODY = 140
CONCURRENCY = 8  # nudges in flight at once; each send waits on the network, not the CPU
# Each of those nudges sends to all of its user's devices side by side, so no device
# ever waits for a thread: one slow endpoint costs a nudge one timeout, not one each.
DEVICE_THREADS = CONCURRENCY * MAX_PER_USER
MAX_RETRY_AFTER = 60 * 60  # a push service may ask us to wait, but never longer than an hour
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"  # `make run` (see public_url)


@dataclass(frozen=True)
class Outcome:
    """What a send means for the subscription: ok, gone, disable or retry."""

    action: str
    status: int | None = None
    retry_after: int | None = None


def classify(status, retry_after=None):
    """404/410: the subscription is gone; 408, 429 and 5xx: try again later;
    a redirect (never followed) or any other 4xx: the subscription is broken,
    disable it."""
    if status is None or status == 408 or status == 429 or status >= 500:
        return Outcome("retry", status, retry_after)
    if 200 <= status < 300:
        return Outcome("ok", status)
    if status in (404, 410):
        return Outcome("gone", status)
    return Outcome("disable", status)


def payload(title, body, url, kind, nudge_id=None, *, base_url):
    """The push message, as JSON: a declarative push message (WebKit's "Meet
    Declarative Web Push", https://webkit.org/blog/16535/meet-declarative-web-push/),
    so Safari 18.4+ shows it even when the service worker fails, and every
    service worker reads this one shape. `mutable` lets the worker show it
    itself (icon, actions, dropping a nudge it already showed). `navigate` must
    be absolute: `url` (an app path) joined to `base_url` (`public_url()`). The
    body is cut to 140 characters; the whole stays far below 3 KB."""
    if len(body) > MAX_BODY:
        body = body[:MAX_BODY - 1].rstrip() + "…"
    return json.dumps({
        "web_push": 8030,
        "notification": {
            "title": title, "body": body, "navigate": urljoin(base_url + "/", url),
            "lang": "en", "tag": kind, "silent": False,
            "data": {"kind": kind, "nudge_id": nudge_id, "url": url},
        },
        "mutable": True,
    }, ensure_ascii=False)


def public_url(config):
    """The app's public origin, for the absolute `navigate` of a push message:
    PUBLIC_URL when set; else Flask's SERVER_NAME (with PREFERRED_URL_SCHEME);
    else the address `make run` serves. The worker sends outside any request,
    so there is no Host header to go by (and it would not be trusted anyway).
    Only Safari's declarative fallback uses it: our service worker opens
    `data.url` on its own origin."""
    if config.get("PUBLIC_URL"):
        return config["PUBLIC_URL"].rstrip("/")
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
    return DEFAULT_PUBLIC_URL


class PushSender:
    """One Vapid key object, one pooled HTTP session and two thread pools (nudges,
    and the devices of each nudge), reused for every send of the process."""

    def __init__(self, vapid, subject, session=None, allow_private=False,
                 resolve=socket.getaddrinfo, concurrency=CONCURRENCY):
        self.vapid = vapid
        self.subject = subject
        self.session = session or _pooled_session(concurrency * MAX_PER_USER)
        self.allow_private = allow_private  # PUSH_ALLOW_HTTP: loopback too (a local push service)
        self.resolve = resolve
        self.concurrency = concurrency
        self._pools = {}
        self._lock = threading.Lock()

    def _pool(self, name, size):
        with self._lock:
            if name not in self._pools:
                self._pools[name] = ThreadPoolExecutor(size, thread_name_prefix=f"rebound-{name}")
            return self._pools[name]

    def map(self, work, items):
        """`work(item)` for every item, up to `concurrency` at once; results in order."""
        items = list(items)
        if self.concurrency <= 1 or len(items) <= 1:
            return [work(item) for item in items]
        return list(self._pool("push", self.concurrency).map(work, items))

    def send_all(self, subscriptions, data, topic):
        """`send` to every subscription side by side (one user's devices); outcomes in
        order. A pool of its own, so `map`'s workers may call this without waiting on
        each other."""
        subscriptions = list(subscriptions)
        if self.concurrency <= 1 or len(subscriptions) <= 1:
            return [self.send(s, data, topic) for s in subscriptions]
        pool = self._pool("push-device", self.concurrency * MAX_PER_USER)
        return list(pool.map(lambda s: self.send(s, data, topic), subscriptions))

    def send(self, subscription, data, topic):
        """Send one message; returns the Outcome and never raises.

        The name is looked up once, here: every address must be public (or
        loopback with PUSH_ALLOW_HTTP), and the connection goes to those
        addresses only (`transport.pinned`), never following a redirect."""
        parts = urlsplit(subscription.endpoint)
        try:
            addresses = checked_addresses(subscription.endpoint, self.resolve,
                                          allow_loopback=self.allow_private)
        except AddressRefused as refused:
            log.warning("push endpoint refused at send time: %s", refused)
            return Outcome("disable")
        except (OSError, UnicodeError, ValueError):
            return classify(None)  # the name did not resolve now: try again later
        origin = f"{parts.scheme}://{parts.netloc}"
        claims = {"sub": self.subject, "aud": origin}  # fresh per call: pywebpush mutates it
        info = {"endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with pinned(parts.hostname, port, addresses):
                response = webpush(info, data, vapid_private_key=self.vapid, vapid_claims=claims,
                                   ttl=TTL_SECONDS, timeout=TIMEOUT_SECONDS,
                                   headers={"Urgency": "normal", "Topic": topic[:32]},
                                   requests_session=self.session)
            return classify(response.status_code)
        except WebPushException as error:
            response = error.response
            if response is None:
                return classify(None)
            return classify(response.status_code, _retry_after(response))
        except requests.RequestException:
            return classify(None)  # timeouts and refused connections: try again later
        except Exception:  # whatever a push service answers, it must never sink a batch
            log.exception("push send failed unexpectedly; trying again later")
            return classify(None)


def _pooled_session(connections):
    """A session keeping up to `connections` connections per push service (one per
    send that can be in flight), that never follows a redirect and connects only to
    checked addresses."""
    return PushSession(pool_connections=16, pool_maxsize=connections)


def _retry_after(response):
    return retry_after_seconds(response.headers.get("Retry-After"))


def retry_after_seconds(value, now=None):
    """The seconds a `Retry-After` value asks for, 0 to MAX_RETRY_AFTER; None when unreadable.

    Only the two forms HTTP allows: ASCII digits (not `str.isdigit()`, which
    takes '²' and '１２'; any length, so no int-string limit and no overflow
    later) or an HTTP date (a past one is 0)."""
    if not isinstance(value, str):
        return None
    text = value.strip(" \t")
    if not text or not text.isascii():
        return None
    if all("0" <= c <= "9" for c in text):
        digits = text.lstrip("0") or "0"
        if len(digits) > len(str(MAX_RETRY_AFTER)):
            return MAX_RETRY_AFTER
        return min(int(digits), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return int(min(max(seconds, 0), MAX_RETRY_AFTER))
