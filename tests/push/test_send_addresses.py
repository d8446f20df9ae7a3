"""The sender looks up the endpoint's address right before each send, so a name
that was public when the device subscribed cannot steer a push into a private
network later."""
import socket

import pytest


from backend.push.endpoints import resolved_problem
from backend.push.sender import PushSender

from .fake_push_service import FakePushService
from .support import subscription_of, vapid  # noqa: F401 (a fixture)


def resolver(*addresses):
    """A stand-in for socket.getaddrinfo that answers with the given addresses."""
    def resolve(host, port, type=0):  # noqa: A002  (getaddrinfo's own keyword)
        family = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [(family[6 if ":" in a else 4], socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]
    return resolve


def unresolvable(host, port, type=0):  # noqa: A002
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


@pytest.mark.parametrize("addresses,problem", [
    (("93.184.216.34",), None),
    (("2606:2800:220:1:248:1893:25c8:1946",), None),
    (("10.0.0.5",), "Resolves to a private address."),
    (("93.184.216.34", "192.168.1.10"), "Resolves to a private address."),
    (("127.0.0.1",), "Resolves to a private address."),
    (("::1",), "Resolves to a private address."),
    (("fe80::1%eth0",), "Resolves to a private address."),
    (("169.254.169.254",), "Resolves to a private address."),
])
def test_resolved_addresses_must_all_be_public(addresses, problem):
    assert resolved_problem("https://push.example.com/x", resolver(*addresses)) == problem


def test_a_name_that_does_not_resolve_is_an_os_error():
    with pytest.raises(OSError):
        resolved_problem("https://push.example.com/x", unresolvable)


@pytest.fixture
def service():
    """A fake push service on 127.0.0.1 that decrypts what it receives."""
    with FakePushService() as running:
        yield running


def test_a_send_to_a_private_address_is_refused_before_anything_leaves(service, vapid):
    device = service.device("phone")  # the fake service listens on 127.0.0.1
    sender = PushSender(vapid, "mailto:ops@example.org")
    outcome = sender.send(subscription_of(device), b'{"title": "Hi"}', "test")
    assert outcome.action == "disable"
    assert service.messages == []


def test_the_same_send_goes_through_when_private_addresses_are_allowed(service, vapid):
    device = service.device("phone")
    sender = PushSender(vapid, "mailto:ops@example.org", allow_private=True)
    assert sender.send(subscription_of(device), b'{"title": "Hi"}', "test").action == "ok"
    assert [message["title"] for message in device.received()] == ["Hi"]


def test_a_passing_dns_failure_is_retried_later_and_sends_nothing(service, vapid):
    device = service.device("phone")
    sender = PushSender(vapid, "mailto:ops@example.org", resolve=unresolvable)
    assert sender.send(subscription_of(device), b'{"title": "Hi"}', "test").action == "retry"
    assert service.messages == []
