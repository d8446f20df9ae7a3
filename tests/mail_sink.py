"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives:
the API tests of password reset and the browser tests read their mail here."""
import contextlib
import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd handler: every message received, parsed."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count, timeout=10):
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.messages) >= count, timeout), \
                f"{len(self.messages)} messages arrived, expected {count}"
        return self.messages

    def wait_for_mail_to(self, address, timeout=10):
        """The newest message to `address`, once one has arrived."""
        def mine():
            return [m for m in self.messages if m["To"] == address]
        with self.arrived:
            assert self.arrived.wait_for(mine, timeout), f"no mail arrived for {address}"
            return mine()[-1]


@contextlib.contextmanager
def running_inbox():
    """Starts an SMTP server on a free port; yields its Inbox (with `.port`)."""
    handler = Inbox()
    with socket.socket() as probe:  # aiosmtpd's start() cannot take port 0
        probe.bind(("127.0.0.1", 0))
        handler.port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()
