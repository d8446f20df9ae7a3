"""The nudge worker's sender in a process of its own, so encryption runs on a
second core: `cryptography` holds the GIL while it encrypts, so in one process
the sends and the worker's database work take turns, however many threads.

`SenderProcess` has `PushSender`'s batch interface (`start_batch`,
`send_batch`, `close`). The child is a `PushSender` fed over a pipe: the
worker's process keeps the database (claims, the payloads, recording), the
child checks the push services' names, encrypts and posts, and hands back each
batch's outcomes. Batches are numbered; a thread on each side reads the pipe,
so neither side blocks the other with a large batch in the pipe's buffer.

The child is spawned, never forked (the worker holds database connections and
threads), once, on first use; it ignores SIGINT and SIGTERM (the worker stops
it after recording the batch on the wire) and ends when its pipe closes, so a
killed worker leaves no child behind. A child that died is started again with
the next batch; the batches it held fail with SenderGone (their nudges are
claimed again when their lease runs out).
"""
import logging
import multiprocessing
import queue
import signal
import threading
from concurrent.futures import Future
from typing import NamedTuple

log = logging.getLogger(__name__)

STOP_SECONDS = 30  # how long `close` waits for the child to finish what it holds


class SenderGone(Exception):
    """The sender's process ended before answering a batch."""


class Device(NamedTuple):
    """What the child needs of a subscription (the dispatcher's rows stay here)."""

    endpoint: str
    p256dh: str
    auth: str


class SenderProcess:
    def __init__(self, vapid_pem, subject, allow_private=False):
        self._args = (vapid_pem, subject, allow_private)
        self._lock = threading.Lock()
        self._process = None
        self._conn = None
        self._waiting = {}  # batch number -> Future of its outcomes
        self._next = 0

    @property
    def pid(self):
        """The child's process id, None before it starts."""
        return self._process.pid if self._process is not None else None

    def start(self):
        """Start the child now (else the first batch does): the worker's start pays for it."""
        with self._lock:
            self._ensure_child()

    def _ensure_child(self):
        if self._process is not None and self._process.is_alive() and not self._conn.closed:
            return
        self._stop_child()
        self._waiting = {}  # a dict per child: a dead child's reader fails only its own
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, *self._args),
                                  name="rebound-push-sender", daemon=True)
        process.start()
        theirs.close()
        self._process, self._conn = process, ours
        threading.Thread(target=self._read, args=(ours, self._waiting), daemon=True,
                         name="rebound-push-replies").start()

    def _stop_child(self):
        """Forget a child that ended (or is ending): reap it, close our end."""
        process, conn, self._process, self._conn = self._process, self._conn, None, None
        if conn is not None:
            conn.close()
        if process is not None:
            process.join(1)
            if process.is_alive():
                process.kill()
                process.join()

    def _read(self, conn, waiting):
        """Resolve each batch's Future as its answer comes; all the rest fail on EOF."""
        while True:
            try:
                number, outcomes, error = conn.recv()
            except (EOFError, OSError, TypeError):  # TypeError: closed under our feet
                break
            future = waiting.pop(number, None)
            if future is None:
                continue
            if error is None:
                future.set_result(outcomes)
            else:
                future.set_exception(RuntimeError(f"push sender process: {error}"))
        with self._lock:
            if self._conn is conn:
                self._stop_child()  # the next batch starts a new child
            else:
                conn.close()
        for number in list(waiting):
            future = waiting.pop(number, None)
            if future is not None and not future.done():
                future.set_exception(SenderGone("the push sender process ended"))

    def start_batch(self, messages, deadline=None):
        """PushSender.start_batch, done by the child: a Future of the outcomes."""
        plain = [([Device(s.endpoint, s.p256dh, s.auth) for s in subscriptions], data, topic)
                 for subscriptions, data, topic in messages]
        future = Future()
        with self._lock:
            self._ensure_child()
            number, self._next = self._next, self._next + 1
            self._waiting[number] = future
            for attempt in (1, 2):
                try:
                    self._conn.send((number, plain, deadline))
                    break
                except OSError:  # the child ended a moment ago: once more, to a new one
                    self._waiting.pop(number, None)
                    if attempt == 2:
                        future.set_exception(SenderGone("the push sender process ended"))
                        break
                    self._stop_child()
                    self._ensure_child()
                    self._waiting[number] = future
        return future

    def send_batch(self, messages, deadline=None):
        return self.start_batch(messages, deadline).result()

    def close(self):
        """Let the child finish what it holds, then end it."""
        with self._lock:
            process, conn, self._process, self._conn = self._process, self._conn, None, None
            self._waiting = {}
        if process is None:
            return
        try:
            conn.send(None)
        except OSError:
            pass
        process.join(STOP_SECONDS)
        if process.is_alive():
            log.warning("push sender process did not stop in %d s; killing it", STOP_SECONDS)
            process.kill()
            process.join()


def _serve(conn, vapid_pem, subject, allow_private):
    """The child: a PushSender answering numbered batches, one after the other,
    until told to stop. A thread reads the pipe into a queue, so the worker never
    waits to hand over its next batch; sending them in turn (not interleaved)
    finishes each as early as can be, so the worker records it while the next
    one goes out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the worker decides when we stop
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    from py_vapid import Vapid

    from .sender import PushSender

    sender = PushSender(Vapid.from_pem(vapid_pem), subject, allow_private=allow_private)
    requests = queue.SimpleQueue()

    def read():
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                request = None
            requests.put(request)
            if request is None:
                return

    threading.Thread(target=read, daemon=True, name="rebound-push-requests").start()
    while (request := requests.get()) is not None:
        number, messages, deadline = request
        try:
            answer = (number, sender.send_batch(messages, deadline), None)
        except Exception as error:  # a bug, not a push service: tell the worker
            answer = (number, None, repr(error))
        try:
            conn.send(answer)
        except OSError:
            pass  # the worker is gone; what is queued is still sent, as it was handed over
    sender.close()
    conn.close()
