"""The sender's HTTP transport: a small HTTP/1.1 client on one event loop, with
pooled keep-alive connections, that never follows a redirect and connects only
to the addresses that were checked.

Why not a general HTTP library: a push send is one POST whose answer we read
only for its status and `Retry-After`, and per send a general client (aiohttp,
requests) cost more CPU than the encryption itself (about 200 µs against 160 µs
here). This client does what a push send needs and no more:

- It connects to the addresses the sender checked (`endpoints.checked_addresses`)
  and is given with each send, never looking a name up itself (no DNS
  rebinding: public for the check, 127.0.0.1 for the connection). TLS sends the
  real name (SNI) and verifies the certificate against it; the `Host` header is
  the real name too. A connection kept alive in the pool goes to the address
  checked when it was opened.
- A redirect is only a status: nothing is ever followed (it would POST to an
  address nobody checked). No proxies, no .netrc, no cookies.
- The answer's head is bounded (MAX_HEAD); its body is read only when it has a
  `Content-Length` of at most MAX_BODY (so the connection can be reused), and
  otherwise the connection is closed once the head is in.

The loop runs in a daemon thread of its own, so any thread (the worker, or a
web request sending a test push) hands it a batch and waits for the outcomes;
the connections stay pooled across batches.
"""
import asyncio
import os
import re
import ssl
import threading
import time

MAX_HEAD = 16 * 1024  # status line and headers of an answer
MAX_BODY = 64 * 1024  # an answer body read to keep the connection; a longer one closes it
IDLE_SECONDS = 30  # a pooled connection unused this long is closed, not reused
_STATUS = re.compile(r"HTTP/1\.([01]) (\d{3})(?: [^\r\n]*)?")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class ProtocolError(Exception):
    """The push service's answer is not HTTP/1.x as we read it."""


def default_ssl_context():
    try:
        import certifi  # what requests trusted before this client: the same roots
    except ImportError:  # pragma: no cover
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


def parse_head(data):
    """(status, {lower-case name: value}, keep_alive, body_length or None) of an
    answer's head (bytes up to the blank line, excluded). Raises ProtocolError."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise ProtocolError("non-ASCII answer head") from None
    status_line, *lines = text.split("\r\n")
    match = _STATUS.fullmatch(status_line)
    if match is None:
        raise ProtocolError("bad status line")
    minor, status = match.group(1), int(match.group(2))
    headers = {}
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.fullmatch(name):
            raise ProtocolError("bad header line")
        headers[name.lower()] = value.strip(" \t")
    connection = headers.get("connection", "").lower()
    keep_alive = minor == "1" and "close" not in connection
    if status in (204, 304) or 100 <= status < 200:
        length = 0
    elif "transfer-encoding" in headers:
        length = None  # chunked or until close: we do not read it
    else:
        value = headers.get("content-length")
        length = int(value) if value is not None and value.isascii() and value.isdigit() \
            and len(value) <= 9 else None
    if length is None or length > MAX_BODY:
        keep_alive = False
    return status, headers, keep_alive, length


class _Connection(asyncio.Protocol):
    """One connection: at most one request at a time; it hands back the answer's
    status and headers once the head (and a small body) is in."""

    def __init__(self):
        self.transport = None
        self.buffer = bytearray()
        self.waiter = None
        self.closed = False
        self.used_at = time.monotonic()

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        self._answer()

    def eof_received(self):
        return False  # close our side too

    def connection_lost(self, exc):
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed before the answer"))

    def request(self, data):
        self.buffer.clear()
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self.waiter

    def _answer(self):
        if self.waiter is None or self.waiter.done():
            if self.buffer:  # bytes nobody asked for: the connection is not ours to reuse
                self.close()
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > MAX_HEAD:
                self._fail(ProtocolError("answer head too long"))
            return
        try:
            status, headers, keep_alive, length = parse_head(bytes(self.buffer[:end]))
        except ProtocolError as error:
            self._fail(error)
            return
        if 100 <= status < 200:  # an interim answer (100 Continue): the real one follows
            del self.buffer[:end + 4]
            self._answer()
            return
        if keep_alive and len(self.buffer) < end + 4 + length:
            return  # wait for the rest of the body
        if keep_alive and len(self.buffer) > end + 4 + length:
            keep_alive = False  # more than one answer: something is off
        waiter, self.waiter = self.waiter, None
        self.buffer.clear()
        if not keep_alive:
            self.close()
        waiter.set_result((status, headers))

    def _fail(self, error):
        waiter, self.waiter = self.waiter, None
        self.close()
        waiter.set_exception(error)

    def close(self):
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class PushTransport:
    """An event loop in its own thread with pooled connections per push service."""

    def __init__(self, ssl_context=None):
        self.ssl_context = ssl_context or default_ssl_context()
        self._lock = threading.Lock()
        self._loop = None
        self._pid = None
        self._idle = {}  # (scheme, host, port) -> [connection], used on the loop only

    def _running_loop(self):
        with self._lock:
            if self._loop is None or self._pid != os.getpid():  # none yet, or forked
                self._pid, self._idle = os.getpid(), {}
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, daemon=True,
                                 name="rebound-push").start()
            return self._loop

    def start(self, coroutine):
        """Run `coroutine` on the transport's loop; returns a concurrent.futures.Future."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._running_loop())

    def close(self):
        """Close the pooled connections and stop the loop (a new one starts if used again)."""
        with self._lock:
            loop, self._loop = self._loop, None
        if loop is None or self._pid != os.getpid():
            return

        async def close_all():
            for connections in self._idle.values():
                for connection in connections:
                    connection.close()
            self._idle = {}

        asyncio.run_coroutine_threadsafe(close_all(), loop).result()
        loop.call_soon_threadsafe(loop.stop)

    async def post(self, scheme, host, port, addresses, request):
        """Send `request` (the whole POST, as bytes) to host:port over a pooled or new
        connection to one of `addresses` ([(family, sockaddr)], as checked); returns
        (status, headers). Call on the loop, inside a timeout."""
        key = (scheme, host, port)
        idle = self._idle.setdefault(key, [])
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if connection.closed or now - connection.used_at > IDLE_SECONDS:
                connection.close()
                continue
            try:
                return await self._exchange(key, connection, request)
            except ConnectionError:
                continue  # the service closed it while it sat in the pool: a new one
        connection = await self._connect(scheme, host, port, addresses)
        return await self._exchange(key, connection, request)

    async def _exchange(self, key, connection, request):
        try:
            answer = await connection.request(request)
        except BaseException:  # a timeout (cancelled) or a broken answer: never reused
            connection.close()
            raise
        self._keep(key, connection)
        return answer

    def _keep(self, key, connection):
        if not connection.closed:
            connection.used_at = time.monotonic()
            self._idle.setdefault(key, []).append(connection)

    async def _connect(self, scheme, host, port, addresses):
        loop = asyncio.get_running_loop()
        tls = self.ssl_context if scheme == "https" else None
        error = None
        for family, sockaddr in addresses:
            try:
                # A numeric address: asyncio asks no DNS server for it.
                _transport, connection = await loop.create_connection(
                    _Connection, sockaddr[0], port, family=family, ssl=tls,
                    server_hostname=host if tls else None)
                return connection
            except OSError as exc:
                error = exc
        raise error or ConnectionError("no address to connect to")
