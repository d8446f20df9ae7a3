"""`flask nudges work` (the Procfile's worker) and `flask nudges run-once` (for cron)."""
import signal
import time

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..push import worker_sender
from . import dispatcher, reconcile

nudges = AppGroup("nudges", help="Plan and send nudges.")


@nudges.command("run-once")
@click.option("--no-sweep", is_flag=True, help="Only send what is due; do not re-plan.")
def run_once(no_sweep):
    """Re-plan every user's nudges, then send every nudge that is due."""
    if not no_sweep:
        reconcile.sweep()
    counts = dispatcher.run_once()
    click.echo("Nudges: " + (", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
                             or "nothing due"))


@nudges.command("work")
@click.option("--interval", default=15.0, show_default=True, help="Seconds between sends.")
@click.option("--sweep-every", default=300.0, show_default=True,
              help="Seconds between re-plans of every user.")
@click.option("--no-sweep", is_flag=True, help="Only send what is due; never re-plan.")
@click.option("--batch-size", default=dispatcher.BATCH, show_default=True,
              help="Nudges claimed at a time (a killed worker's batch may be sent again).")
def work(interval, sweep_every, no_sweep, batch_size):
    """Send due nudges every few seconds and re-plan everyone now and then, until SIGTERM."""
    stop = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.append(True))
    log = current_app.logger
    sender = worker_sender(current_app)  # encryption on a core of its own
    sender.start()
    # Printed once SIGTERM is handled: supervisors may stop it from here on.
    click.echo("Nudge worker started.")
    try:
        _work(stop, interval, sweep_every, no_sweep, batch_size, sender, log)
    finally:
        sender.close()
    click.echo("Nudge worker stopped.")


def _work(stop, interval, sweep_every, no_sweep, batch_size, sender, log):
    next_sweep = 0.0
    while not stop:
        try:
            if not no_sweep and time.monotonic() >= next_sweep:
                reconcile.sweep()
                next_sweep = time.monotonic() + sweep_every
            counts = dispatcher.run_once(batch_size=batch_size, sender=sender,
                                         keep_going=lambda: not stop)
            if counts:
                log.info("Nudges: %s", counts)
        except Exception:  # a bad round must not end the worker; the next one retries
            log.exception("Nudge round failed")
            db.session.rollback()
        deadline = time.monotonic() + interval
        while not stop and time.monotonic() < deadline:
            time.sleep(min(0.2, interval))
