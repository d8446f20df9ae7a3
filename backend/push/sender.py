"""Sends web push messages with pywebpush's encryption (aes128gcm, VAPID), used by
the web process (`POST /api/push/test`) and the nudge worker alike.

One batch at a time: every push-service name of the batch is looked up and
checked once (`endpoints.checked_addresses`) and pinned for its connections;
each message is encrypted with one `WebPusher.encode` call; the VAPID header is
signed once per push-service origin and reused while it is valid (pywebpush
would sign one per send, and it writes `aud` and `exp` into the claims dict it
is given, so each origin gets a fresh dict); the sends go out side by side over
pooled keep-alive connections (`transport.py`: no redirects, no proxies, only
the checked addresses), with an explicit timeout and a 24 h TTL (pywebpush's
defaults are no timeout and a TTL of 0).
"""
import asyncio
import functools
import json
import logging
import re
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from pywebpush import WebPusher

from .endpoints import AddressRefused, checked_addresses
from .transport import ProtocolError, PushTransport

log = logging.getLogger(__name__)

TTL_SECONDS = 24 * 60 * 60
TIMEOUT_SECONDS = 10
MAX_BODY = 140
CONCURRENCY = 32  # messages in flight at once; each waits on the network, not the CPU
PUSHERS_KEPT = 10_000  # subscriptions whose decoded keys are kept (about 1 KB each)
# Each of those messages goes to all of its user's devices side by side, so one slow
# endpoint costs a nudge one timeout, not one each.
MAX_RETRY_AFTER = 60 * 60  # a push service may ask us to wait, but never longer than an hour
VAPID_LIFETIME = 12 * 60 * 60  # a VAPID token's `exp`, as pywebpush sets it (at most 24 h)
VAPID_RENEW = 60 * 60  # sign a new one when less than this is left
MAX_ORIGINS = 1000  # signed headers kept; subscriptions may name any public push service
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


OK = Outcome("ok", 201)  # the usual answer, made once


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
            "title": title, "body": body, "navigate": _navigate(base_url, url),
            "lang": "en", "tag": kind, "silent": False,
            "data": {"kind": kind, "nudge_id": nudge_id, "url": url},
        },
        "mutable": True,
    }, ensure_ascii=False)


@functools.lru_cache(maxsize=256)  # a few app paths: the worker's batches join them again
def _navigate(base_url, url):
    return urljoin(base_url + "/", url)


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
    """One Vapid key object, its signed headers per origin, and one transport (an
    event loop with pooled connections), reused for every send of the process."""

    def __init__(self, vapid, subject, ssl_context=None, allow_private=False,
                 resolve=socket.getaddrinfo, concurrency=CONCURRENCY):
        self.vapid = vapid
        self.subject = subject
        self.transport = PushTransport(ssl_context)
        self.allow_private = allow_private  # PUSH_ALLOW_HTTP: loopback too (a local push service)
        self.resolve = resolve
        self.concurrency = concurrency
        self._headers = {}  # origin -> (Authorization header, renew after this time.time())
        self._pushers = {}  # (endpoint, p256dh, auth) -> WebPusher, see _pusher

    def close(self):
        """Close the pooled connections (the next send opens new ones)."""
        self.transport.close()

    def send(self, subscription, data, topic):
        """Send one message; returns the Outcome and never raises."""
        return self.send_all([subscription], data, topic)[0]

    def send_all(self, subscriptions, data, topic):
        """`send` to every subscription side by side (one user's devices); outcomes in order."""
        return self.send_batch([(list(subscriptions), data, topic)])[0]

    def send_batch(self, messages, deadline=None):
        """Send each message, (subscriptions, data, topic), to its subscriptions: up to
        `concurrency` messages at once, each to all its subscriptions side by side.
        Returns, per message, its outcomes in subscription order, or None for a
        message not started because `deadline` (an aware datetime) had passed.
        Never raises for what a push service does.

        Each push service's name is looked up once per batch, here: every address
        must be public (or loopback with PUSH_ALLOW_HTTP), and the connections go
        to those addresses only, never following a redirect."""
        return self.start_batch(messages, deadline).result()

    def start_batch(self, messages, deadline=None):
        """`send_batch` without waiting: the names are checked here, then the sends
        run on the transport's loop; returns a concurrent.futures.Future of the
        outcomes, so the caller can do other work meanwhile."""
        messages = [(subs, data.encode() if isinstance(data, str) else data,
                     _TOPIC_JUNK.sub("", topic)[:32])
                    for subs, data, topic in messages]
        routes = self._routes({s.endpoint for subs, _d, _t in messages for s in subs})
        return self.transport.start(self._send_batch(messages, routes, deadline))

    def _routes(self, endpoints):
        """{endpoint: Route, or the Outcome it gets without a send}; each push
        service's name looked up and checked once."""
        by_origin, routes = {}, {}
        for endpoint in endpoints:
            try:
                parts = urlsplit(endpoint)
                port = parts.port or (443 if parts.scheme == "https" else 80)
                target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            except (TypeError, ValueError):
                routes[endpoint] = Outcome("disable")
                continue
            if not _PRINTABLE.fullmatch(target + parts.netloc):
                routes[endpoint] = Outcome("disable")  # never written into a request
                continue
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in by_origin:
                by_origin[origin] = self._check(endpoint, parts, port, origin)
            route = by_origin[origin]
            routes[endpoint] = route if isinstance(route, Outcome) else route._replace(
                target=target)
        return routes

    def _check(self, endpoint, parts, port, origin):
        try:
            addresses = checked_addresses(endpoint, self.resolve,
                                          allow_loopback=self.allow_private)
        except AddressRefused as refused:
            log.warning("push endpoint refused at send time: %s", refused)
            return Outcome("disable")
        except (OSError, UnicodeError, ValueError):
            return classify(None)  # the name did not resolve now: try again later
        return Route(origin, parts.scheme, parts.hostname, port, parts.netloc, addresses, "")

    async def _send_batch(self, messages, routes, deadline):
        """Up to `concurrency` messages in flight. Once a quarter of the slots are
        free, the messages for all of them are encrypted one after the other and
        only then let out: encryptions in a row run warm (caches, branch
        predictors), where one squeezed between two answers ran a fifth slower.
        Measured on the sender's CPU to a push service that answers at once: 195 µs
        a message one at a time between answers, 160 µs in bursts."""
        loop = asyncio.get_running_loop()
        results = [None] * len(messages)
        in_flight = {}  # task -> the number of its message
        slot_free = asyncio.Event()

        def finished(task):
            number = in_flight.pop(task)
            if not task.cancelled():
                results[number] = task.result()
            slot_free.set()

        # Refill in bursts of a quarter of the slots: the answers of a fast push
        # service come one by one, and a burst of one is no burst.
        low_water = self.concurrency - max(1, self.concurrency // 4)
        turn = 0
        try:
            while turn < len(messages) or in_flight:
                while turn < len(messages) and len(in_flight) < self.concurrency:
                    number, turn = turn, turn + 1
                    if deadline is not None and datetime.now(timezone.utc) >= deadline:
                        continue  # too late to start: left for whoever claims it next
                    subscriptions, data, topic = messages[number]
                    sends = [self._prepare(s, data, topic, routes) for s in subscriptions]
                    if all(isinstance(send, Outcome) for send in sends):
                        results[number] = sends  # nothing to post
                        continue
                    task = loop.create_task(self._post_all(sends))
                    in_flight[task] = number
                    task.add_done_callback(finished)
                while in_flight and (turn == len(messages) or len(in_flight) > low_water):
                    slot_free.clear()
                    await slot_free.wait()
        finally:
            for task in list(in_flight):
                task.cancel()
        return results

    def _prepare(self, subscription, data, topic, routes):
        """The whole POST for one subscription, encrypted, with its Route; or the
        Outcome it gets without a send."""
        route = routes[subscription.endpoint]
        if isinstance(route, Outcome):
            return route
        try:
            body = self._pusher(subscription).encode(data)["body"]
        except Exception:  # keys a browser gave us that do not encrypt: never sinks a batch
            log.exception("push message could not be encrypted; trying again later")
            return classify(None)
        request = (f"POST {route.target} HTTP/1.1\r\nHost: {route.netloc}\r\n"
                   f"Authorization: {self._vapid_header(route.origin)}\r\n"
                   f"TTL: {TTL_SECONDS}\r\nContent-Encoding: aes128gcm\r\n"
                   f"Urgency: normal\r\nTopic: {topic}\r\n"
                   f"Content-Length: {len(body)}\r\n\r\n").encode("ascii") + body
        return route, request

    async def _post_all(self, sends):
        """Post one message's prepared sends side by side (one user's devices, so a
        slow endpoint costs it one timeout, not one each); outcomes in order."""
        if len(sends) == 1:
            return [await self._post(*sends[0])]
        outcomes = list(sends)
        posts = [n for n, send in enumerate(sends) if not isinstance(send, Outcome)]
        answers = await asyncio.gather(*(self._post(*sends[n]) for n in posts))
        for n, answer in zip(posts, answers):
            outcomes[n] = answer
        return outcomes

    async def _post(self, route, request):
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                status, headers = await self.transport.post(
                    route.scheme, route.host, route.port, route.addresses, request)
        except (OSError, TimeoutError, ProtocolError):
            return classify(None)  # timeouts, refused connections, garbled answers: later
        except Exception:  # whatever a push service answers, it must never sink a batch
            log.exception("push send failed unexpectedly; trying again later")
            return classify(None)
        if status == 201:
            return OK
        return classify(status, retry_after_seconds(headers.get("retry-after")))

    def _pusher(self, subscription):
        """The subscription's WebPusher (its keys decoded), made once and kept: making one
        costs a third of what an encryption does. `encode` keeps no state between
        messages (each has a fresh key pair), so one pusher serves every message.
        Used on the transport's loop only."""
        key = (subscription.endpoint, subscription.p256dh, subscription.auth)
        pusher = self._pushers.get(key)
        if pusher is None:
            pusher = WebPusher({"endpoint": subscription.endpoint,
                                "keys": {"p256dh": subscription.p256dh,
                                         "auth": subscription.auth}})
            if len(self._pushers) >= PUSHERS_KEPT:
                self._pushers.pop(next(iter(self._pushers)))  # the oldest made
            self._pushers[key] = pusher
        return pusher

    def _vapid_header(self, origin):
        """The VAPID Authorization header for `origin`, signed once and reused until
        an hour before its `exp` (a fresh claims dict each time: pywebpush's rule)."""
        now = time.time()
        cached = self._headers.get(origin)
        if cached is None or cached[1] <= now:
            if len(self._headers) >= MAX_ORIGINS:
                self._headers.clear()
            claims = {"sub": self.subject, "aud": origin, "exp": int(now) + VAPID_LIFETIME}
            cached = (self.vapid.sign(claims)["Authorization"],
                      now + VAPID_LIFETIME - VAPID_RENEW)
            self._headers[origin] = cached
        return cached[0]


class Route(NamedTuple):
    """Where one endpoint's sends go: checked addresses and the request's target."""

    origin: str
    scheme: str
    host: str
    port: int
    netloc: str
    addresses: list
    target: str


_PRINTABLE = re.compile(r"[!-~]+")  # visible ASCII: nothing that could end a header line
_TOPIC_JUNK = re.compile(r"[^A-Za-z0-9_-]")  # Topic is at most 32 base64url characters


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
