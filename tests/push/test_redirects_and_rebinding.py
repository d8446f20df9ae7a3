"""The SSRF guard holds all the way to the socket (issue 9, item 2): a push
service's redirect is never followed (it disables the subscription), and the
connection goes to the address that was checked, with no second lookup.

With PUSH_ALLOW_HTTP the fake push service on 127.0.0.1 is allowed, so the
redirect points at a second listener that must receive nothing."""
import ipaddress
import socket

import pytest

from backend.push.sender import PushSender

from .fake_push_service import FakePushService
from .support import (add_nudge, nudge_of, push_app, push_service, run,  # noqa: F401
                      subscription_of, vapid,
                      second_listener, sign_up, subscribe, subscription_rows)

REAL_GETADDRINFO = socket.getaddrinfo


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed_and_disables_the_subscription(push_app, push_service,
                                                                  second_listener, status):
    signed_in = sign_up(push_app)
    phone = push_service.device("phone")
    push_service.redirect(phone, second_listener.url + "/internal/admin", status)
    subscribe(signed_in, phone)
    response = signed_in.post("/api/push/test")
    assert response.status_code == 202
    assert response.get_json() == {"devices": 1, "delivered": 0}
    assert second_listener.arrivals == []
    assert push_service.arrivals == [("POST", phone.path)]
    row = subscription_rows(push_app)[phone.endpoint]
    assert row.disabled_at is not None and row.failure_count == 1
    assert signed_in.post("/api/push/test").get_json() == {"devices": 0, "delivered": 0}


def test_the_worker_does_not_follow_a_redirect_either(push_app, push_service, second_listener):
    signed_in = sign_up(push_app)
    phone, laptop = push_service.device("phone"), push_service.device("laptop")
    push_service.redirect(phone, second_listener.url + "/push/phone")
    subscribe(signed_in, phone, laptop)
    nudge_id = add_nudge(push_app, signed_in)
    assert run(push_app) == {"sent": 1}
    assert second_listener.arrivals == []
    assert [m["notification"]["data"]["nudge_id"] for m in laptop.received()] == [str(nudge_id)]
    assert subscription_rows(push_app)[phone.endpoint].disabled_at is not None
    assert nudge_of(push_app, nudge_id).status == "sent"


@pytest.fixture
def internal(push_service):
    """A listener on 127.0.0.2, on the fake push service's port: an internal service
    a rebinding name could point at."""
    with FakePushService(host="127.0.0.2", port=push_service.port) as service:
        yield service


class Rebinding:
    """A DNS answer that changes between lookups: the trick of DNS rebinding."""

    def __init__(self, name, *answers):
        self.name, self.answers, self.lookups = name, list(answers), 0

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):  # noqa: A002
        if host != self.name:
            return REAL_GETADDRINFO(host, port, family, type, proto, flags)
        address = self.answers[min(self.lookups, len(self.answers) - 1)]
        self.lookups += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]


def test_the_connection_goes_to_the_address_that_was_checked(push_service, internal, vapid,
                                                             monkeypatch):
    # 127.0.0.1 stands in for a public address here (the fake push service has to
    # listen somewhere); 127.0.0.2 stays private.
    is_global = ipaddress.IPv4Address.is_global
    monkeypatch.setattr(ipaddress.IPv4Address, "is_global", property(
        lambda address: str(address) == "127.0.0.1" or is_global.fget(address)))
    name = "push.rebinding.test"
    dns = Rebinding(name, "127.0.0.1", "127.0.0.2")
    monkeypatch.setattr(socket, "getaddrinfo", dns)  # whoever else looks the name up
    phone = push_service.device("phone", host=name)
    sender = PushSender(vapid, "mailto:ops@example.org", resolve=dns)

    assert sender.send(subscription_of(phone), b'{"title": "Hi"}', "test").action == "ok"
    assert internal.arrivals == []
    assert [message["title"] for message in phone.received()] == ["Hi"]
    assert dns.lookups == 1

    # The next send looks the name up again: now it is private, and nothing is sent.
    assert sender.send(subscription_of(phone), b'{"title": "Again"}', "test").action == "disable"
    assert internal.arrivals == [] and len(push_service.arrivals) == 1


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.10", "169.254.169.254"])
def test_push_allow_http_allows_loopback_but_no_other_private_address(push_service, vapid,
                                                                      address):
    device = push_service.device("phone", host="push.example.test")
    sender = PushSender(vapid, "mailto:ops@example.org", allow_private=True,
                        resolve=Rebinding("push.example.test", address))
    assert sender.send(subscription_of(device), b'{"title": "Hi"}', "test").action == "disable"
    loopback = PushSender(vapid, "mailto:ops@example.org", allow_private=True,
                          resolve=Rebinding("push.example.test", "127.0.0.1"))
    assert loopback.send(subscription_of(device), b'{"title": "Hi"}', "test").action == "ok"
    assert [message["title"] for message in device.received()] == ["Hi"]


def test_an_endpoint_without_a_host_is_never_looked_up():
    from backend.push.endpoints import AddressRefused, checked_addresses

    def resolve(*_args, **_kwargs):
        raise AssertionError("looked up")  # getaddrinfo(None, ...) answers with loopback

    with pytest.raises(AddressRefused):
        checked_addresses("https:///push/x", resolve, allow_loopback=True)
