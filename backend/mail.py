"""Outgoing mail over SMTP (the standard library's smtplib), used only for
password reset. Configured by MAIL_SERVER and friends; without MAIL_SERVER
the app sends no mail at all.
"""
import smtplib
import threading
from email.message import EmailMessage

TIMEOUT_SECONDS = 10


def configured(config):
    return bool(config.get("MAIL_SERVER"))


def message(config, to, subject, body):
    mail = EmailMessage()
    mail["From"] = config["MAIL_DEFAULT_SENDER"]
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content(body)
    return mail


def send(config, mail):
    """Deliver one message now (raises smtplib / OS errors)."""
    kind = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    with kind(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
              timeout=TIMEOUT_SECONDS) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(mail)


def send_later(app, mail):
    """Send on a short-lived thread, so the answer to the request neither waits
    for the mail server nor takes longer when the account exists (`mail` None:
    the thread starts and sends nothing, for the same reason)."""
    config, log = dict(app.config), app.logger

    def run():
        if mail is None:
            return
        try:
            send(config, mail)
        except (OSError, smtplib.SMTPException):
            log.exception("Could not send mail to the mail server")

    thread = threading.Thread(target=run, name="rebound-mail", daemon=True)
    thread.start()
    return thread
