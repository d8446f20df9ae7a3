"""The sender's own HTTP/1.1 client reads a push service's answer head strictly and
keeps a connection only when the answer's end is certain (backend/push/transport.py)."""
import pytest

from backend.push.transport import MAX_BODY, ProtocolError, parse_head


def test_a_201_with_an_empty_body_keeps_the_connection():
    assert parse_head(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\nLocation: /m/1") == (
        201, {"content-length": "0", "location": "/m/1"}, True, 0)


def test_header_names_are_read_case_insensitively_and_values_trimmed():
    status, headers, _keep, _length = parse_head(
        b"HTTP/1.1 429 Too Many Requests\r\nRETRY-after:  120 \r\nContent-Length: 2")
    assert status == 429 and headers["retry-after"] == "120"


@pytest.mark.parametrize("head", [
    b"HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 0",
    b"HTTP/1.0 201 Created\r\nContent-Length: 0",
    b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked",
    b"HTTP/1.1 201 Created",  # no length: the body runs until the service closes
    b"HTTP/1.1 201 Created\r\nContent-Length: " + str(MAX_BODY + 1).encode(),
    b"HTTP/1.1 201 Created\r\nContent-Length: -1",
    b"HTTP/1.1 201 Created\r\nContent-Length: \xd9\xa1",
])
def test_an_answer_whose_end_is_not_certain_closes_the_connection(head):
    try:
        _status, _headers, keep_alive, _length = parse_head(head)
    except ProtocolError:
        return
    assert keep_alive is False


@pytest.mark.parametrize("head", [
    b"HTTP/2 201",
    b"HTTP/1.1 20 Created",
    b"ICY 200 OK",
    b"HTTP/1.1 201 Created\r\nno colon here",
    b"HTTP/1.1 201 Created\r\n folded: line",
    b"HTTP/1.1 201 Created\r\nBad Name: x",
    b"HTTP/1.1 201 Cr\xe9\xe9",
])
def test_a_garbled_head_is_a_protocol_error(head):
    with pytest.raises(ProtocolError):
        parse_head(head)


def test_a_send_that_times_out_is_retried_later_and_its_connection_never_reused(monkeypatch):
    from types import SimpleNamespace

    from py_vapid import Vapid

    from backend.push import sender as sending

    from .fake_push_service import FakePushService

    monkeypatch.setattr(sending, "TIMEOUT_SECONDS", 0.2)
    vapid = Vapid()
    vapid.generate_keys()
    sender = sending.PushSender(vapid, "mailto:ops@example.org", allow_private=True)
    with FakePushService() as service:
        slow = service.device("slow")
        device = SimpleNamespace(endpoint=slow.endpoint, **slow.subscription()["keys"])
        service.delay = 1.0
        assert sender.send(device, b'{"title": "Hi"}', "test").action == "retry"
        assert all(c.closed for pool in sender.transport._idle.values() for c in pool)
        service.delay = 0
        assert sender.send(device, b'{"title": "Hi"}', "test").action == "ok"
        assert service.arrivals == [("POST", slow.path)] * 2  # over a new connection
    sender.close()
