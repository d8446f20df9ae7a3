"""Pinning the checked address keeps TLS honest: the connection goes to the checked
address, while SNI, the certificate check and the Host header use the push
service's real name (a certificate made here, for that name only)."""
import datetime
import ipaddress
import socket
import ssl
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from py_vapid import Vapid

from backend.push.sender import PushSender

from .fake_push_service import FakePushService

NAME = "push.pinned.test"


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for NAME only (no IP address in it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@pytest.fixture
def tls_service(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    with FakePushService(tls=context) as service:
        yield service


@pytest.fixture
def sender(certificate, monkeypatch):
    # 127.0.0.1 stands in for the push service's public address.
    is_global = ipaddress.IPv4Address.is_global
    monkeypatch.setattr(ipaddress.IPv4Address, "is_global", property(
        lambda address: str(address) == "127.0.0.1" or is_global.fget(address)))
    lookups = []

    def resolve(host, port, type=0):  # noqa: A002
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    vapid = Vapid()
    vapid.generate_keys()
    trusted = ssl.create_default_context(cafile=str(certificate[0]))  # the test's, and only it
    pusher = PushSender(vapid, "mailto:ops@example.org", ssl_context=trusted, resolve=resolve)
    pusher.lookups = lookups
    return pusher


def subscription_of(device):
    keys = device.subscription()["keys"]
    return SimpleNamespace(endpoint=device.endpoint, p256dh=keys["p256dh"], auth=keys["auth"])


def test_https_to_the_pinned_address_checks_the_certificate_against_the_real_name(
        tls_service, sender):
    phone = tls_service.device("phone", host=NAME)
    assert phone.endpoint.startswith(f"https://{NAME}:")
    assert sender.send(subscription_of(phone), b'{"title": "Hi"}', "test").action == "ok"
    assert [message["title"] for message in phone.received()] == ["Hi"]
    [(_path, headers, _body)] = tls_service.messages
    assert headers["host"] == f"{NAME}:{tls_service.port}"
    assert sender.lookups == [NAME]


def test_a_certificate_for_another_name_is_refused(tls_service, sender):
    stranger = tls_service.device("phone", host="push.other.test")
    assert sender.send(subscription_of(stranger), b'{"title": "Hi"}', "test").action == "retry"
    assert tls_service.arrivals == []
