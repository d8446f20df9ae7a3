"""Which push endpoints and keys we accept (pure checks, no Flask).

Endpoints are ASCII URLs of at most 1,024 characters (browsers' endpoints are
far shorter; a longer or non-ASCII one could only be made up, and on PostgreSQL
it overflowed the unique index: a 503). They must be https on a public
address, so the server can never be steered into an internal network; plain
http and loopback only when PUSH_ALLOW_HTTP is set (tests with a local fake
push service).
"""
import base64
import binascii
import hmac
import ipaddress
import socket
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

PRIVATE_NAMES = ("localhost", ".localhost", ".local", ".internal", ".lan", ".home.arpa")
MAX_ENDPOINT = 1024
MAX_PER_USER = 10  # subscriptions per user; an 11th replaces the least recently used


def b64url_decode(text):
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def endpoint_problem(url, allow_http=False):
    """Why `url` is not an acceptable push endpoint, or None."""
    if len(url) > MAX_ENDPOINT:
        return f"At most {MAX_ENDPOINT:,} characters."
    if not url.isascii():
        return "Must be an ASCII URL."
    if any(c <= " " or c == "\x7f" for c in url):
        return "Must not contain spaces or control characters."
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return "Must be a valid URL."
    if parts.scheme not in (("https", "http") if allow_http else ("https",)):
        return "Must be an https address."
    if not host or parts.username or parts.password:
        return "Must be an https address with a host name."
    if allow_http:
        return None
    if host in PRIVATE_NAMES or host.endswith(PRIVATE_NAMES) or "." not in host:
        return "Must be a public address."
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    return None if address.is_global else "Must be a public address."


class AddressRefused(ValueError):
    """The push service's name resolves to an address we never connect to."""


def checked_addresses(url, resolve=socket.getaddrinfo, allow_loopback=False):
    """The addresses the host of `url` resolves to, as [(family, sockaddr)], when
    every one of them is public (or loopback, with `allow_loopback`: tests with a
    local push service); the sender connects to these and looks nothing up again.

    Checked again before each send: a name that was public when the device
    subscribed may point into a private network later. Raises AddressRefused when
    an address is not allowed, OSError when the name does not resolve at all (a
    passing DNS failure: try again later).
    """
    parts = urlsplit(url)
    if not parts.hostname:  # getaddrinfo(None, ...) would answer with loopback addresses
        raise AddressRefused("Has no host name.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    answers = resolve(parts.hostname, port, type=socket.SOCK_STREAM)
    addresses = []
    for family, *_ignored, sockaddr in answers:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if not (address.is_global or (allow_loopback and address.is_loopback)):
            raise AddressRefused("Resolves to a private address.")
        addresses.append((family, sockaddr))
    if not addresses:
        raise OSError(f"{parts.hostname} has no address")
    return addresses


def resolved_problem(url, resolve=socket.getaddrinfo):
    """Why the host of `url` does not resolve to public addresses only, or None
    (raises OSError when it does not resolve)."""
    try:
        checked_addresses(url, resolve)
    except AddressRefused as refused:
        return str(refused)
    return None


def same_keys(p256dh, auth, other_p256dh, other_auth):
    """Whether two subscriptions carry the same keys (decoded: padding aside)."""
    try:
        return (b64url_decode(p256dh) == b64url_decode(other_p256dh)
                and hmac.compare_digest(b64url_decode(auth), b64url_decode(other_auth)))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False


def p256dh_problem(text):
    try:
        raw = b64url_decode(text)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return "Must be base64url."
    if len(raw) != 65 or raw[0] != 4:
        return "Must be a 65-byte uncompressed P-256 point."
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return "Must be a point on the P-256 curve."
    return None


def auth_problem(text):
    try:
        raw = b64url_decode(text)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return "Must be base64url."
    return None if len(raw) == 16 else "Must be 16 bytes."
