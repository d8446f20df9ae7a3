"""The nudge worker's sender in a process of its own (backend/push/process.py):
real encryption and signing in the child, decrypted by a fake push service on
127.0.0.1; a child that dies fails only what it held, and the next batch
starts a new one; closing waits for the batch on the wire."""
import os
import signal
import time

import pytest

from backend.push.process import SenderGone, SenderProcess
from backend.push.sender import payload

from .fake_push_service import b64, verify_vapid
from .support import push_service, subscription_of, vapid  # noqa: F401 (fixtures)


@pytest.fixture
def sender(vapid):
    process = SenderProcess(vapid.private_pem(), "mailto:ops@example.org", allow_private=True)
    yield process
    process.close()


def message(device, text):
    return ([subscription_of(device)], payload("Hello", text, "/today", "apply", base_url="http://x"),
            "apply")


def public_key(vapid):
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    return b64(vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def test_the_child_encrypts_signs_and_answers_each_batch_in_order(sender, vapid,
                                                                  push_service):
    phone, laptop, gone = (push_service.device(n) for n in ("phone", "laptop", "gone"))
    push_service.answer(gone, 410)
    first = sender.start_batch([message(phone, "one"), message(gone, "two")])
    second = sender.start_batch([message(laptop, "three")])
    assert [[o.action for o in outcomes] for outcomes in first.result(20)] == [["ok"], ["gone"]]
    assert [[o.action for o in outcomes] for outcomes in second.result(20)] == [["ok"]]
    assert [m["notification"]["body"] for m in phone.received()] == ["one"]
    assert [m["notification"]["body"] for m in laptop.received()] == ["three"]
    for _path, headers, _body in push_service.messages:
        assert headers["content-encoding"] == "aes128gcm"
        verify_vapid(headers, public_key(vapid), push_service.url)
    assert sender.pid != os.getpid()


def test_a_dead_child_fails_what_it_held_and_the_next_batch_gets_a_new_one(sender,
                                                                           push_service):
    phone = push_service.device("phone")
    assert sender.send_batch([message(phone, "before")])[0][0].action == "ok"
    push_service.delay = 2
    held = sender.start_batch([message(phone, "held")])
    first_pid = sender.pid
    deadline = time.monotonic() + 20
    while not push_service.in_flight:  # the child has it on the wire
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(first_pid, signal.SIGKILL)
    push_service.delay = 0
    with pytest.raises(SenderGone):
        held.result(20)
    assert sender.send_batch([message(phone, "after")])[0][0].action == "ok"
    assert sender.pid != first_pid
    assert "after" in [m["notification"]["body"] for m in phone.received()]


def test_close_waits_for_the_batch_on_the_wire_and_the_child_ignores_sigterm(sender,
                                                                             push_service):
    phone = push_service.device("phone")
    sender.start()
    sender.send_batch([])  # up and answering, its signal handlers set
    child = sender.pid
    push_service.delay = 0.5
    on_the_wire = sender.start_batch([message(phone, "late")])
    os.kill(child, signal.SIGTERM)  # a supervisor signalling the whole group
    sender.close()
    assert [o.action for o in on_the_wire.result(5)[0]] == ["ok"]
    assert [m["notification"]["body"] for m in phone.received()] == ["late"]
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
