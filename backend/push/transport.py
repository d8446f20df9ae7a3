"""The sender's HTTP transport: it never follows a redirect, and it connects only to
the addresses that were checked for this send.

The address check (`endpoints.checked_addresses`) looks the push service's name
up once; a second lookup by the HTTP library could get another answer (DNS
rebinding: public for the check, 127.0.0.1 for the connection). So the sender
pins the checked addresses for its thread (`pinned`) and the connections made
here connect to exactly those, with no lookup of their own; TLS still sends the
real name (SNI) and verifies the certificate against it, and the `Host` header
is the real name too. A connection kept alive in the pool goes to the address
checked when it was opened. A redirect is never followed: a push service has no
reason to send one, and following it would POST to an address nobody checked.
"""
import socket
import threading
from contextlib import contextmanager

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

_pins = threading.local()


def _key(host, port):
    return host.rstrip(".").lower(), int(port)


@contextmanager
def pinned(host, port, addresses):
    """While this block runs, new connections of this thread to host:port go to
    `addresses` ([(family, sockaddr)], as checked) and nowhere else."""
    _pins.current = (_key(host, port), tuple(addresses))
    try:
        yield
    finally:
        _pins.current = None


class _PinnedConnection:
    """Replaces urllib3's `_new_conn` (which looks the host up) with a connect to
    the pinned addresses; without a pin for this host it refuses to connect."""

    def _new_conn(self):
        pin = getattr(_pins, "current", None)
        if pin is None or pin[0] != _key(self.host, self.port):
            raise NewConnectionError(self, "No checked address for this host; not connecting.")
        error = None
        for _family, sockaddr in pin[1]:
            try:
                # A numeric address: create_connection's lookup of it asks no DNS server.
                return create_connection((sockaddr[0], self.port), self.timeout,
                                         source_address=self.source_address,
                                         socket_options=self.socket_options)
            except socket.timeout as exc:
                error = ConnectTimeoutError(self, f"Connection to {self.host} timed out.")
                error.__cause__ = exc
            except OSError as exc:
                error = NewConnectionError(self, f"Failed to establish a new connection: {exc}")
                error.__cause__ = exc
        raise error or NewConnectionError(self, "No address to connect to.")


class _HTTPConnection(_PinnedConnection, HTTPConnection):
    pass


class _HTTPSConnection(_PinnedConnection, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class PinnedAdapter(HTTPAdapter):
    """requests' adapter with the pinned connections above (pools as usual)."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def proxy_manager_for(self, proxy, **kwargs):
        raise requests.exceptions.InvalidProxyURL("Push sends never go through a proxy.")


class PushSession(requests.Session):
    """A session that never follows redirects, ignores proxy and .netrc settings
    from the environment, and connects through `PinnedAdapter`."""

    def __init__(self, pool_connections, pool_maxsize):
        super().__init__()
        self.trust_env = False
        adapter = PinnedAdapter(pool_connections=pool_connections, pool_maxsize=pool_maxsize)
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    def request(self, method, url, *args, **kwargs):
        # Not max_redirects = 0: with it requests raises TooManyRedirects even when
        # it is not following, and the answer (a 3xx to disable on) is lost.
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)
