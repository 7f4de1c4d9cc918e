"""Sending mail: printed to the console by default, SMTP when MAIL_URL=smtp://host:port.

Every message is first written to the outbox table in the caller's transaction and delivered
once that transaction commits; a failed delivery stays in the outbox for `flask mail retry`.
"""

import logging
import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template

from .clock import utcnow
from .models import OutboundMail
from .services.base import after_commit

log = logging.getLogger(__name__)


def send(to: str, template: str, *, headers: dict | None = None, **context) -> OutboundMail:
    """Queue templates/mail/<template>.txt (+ .html) for `to`; delivered after commit."""
    subject = render_template(f"mail/{template}.subject.txt", **context).strip()
    text = render_template(f"mail/{template}.txt", **context)
    html = render_template(f"mail/{template}.html", **context)
    headers = dict(headers or {})
    headers.setdefault("Message-ID", make_msgid(domain="intrlume.tech"))
    outbound = OutboundMail.create(
        to_address=to, subject=subject, body_text=text, body_html=html, headers=headers
    )
    app = current_app._get_current_object()
    after_commit(lambda: deliver(outbound.id, app=app))
    return outbound


def build_message(outbound: OutboundMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = outbound.to_address
    message["Subject"] = outbound.subject
    for name, value in (outbound.headers or {}).items():
        message[name] = value
    message.set_content(outbound.body_text)
    if outbound.body_html:
        message.add_alternative(outbound.body_html, subtype="html")
    return message


def deliver(outbound_id: int, app=None) -> bool:
    """Try to deliver one outbox message; record the outcome instead of raising."""
    app = app or current_app._get_current_object()
    outbound = OutboundMail.get_by_id(outbound_id)
    message = build_message(outbound, app.config["MAIL_SENDER"])
    try:
        _transport(app.config["MAIL_URL"], message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail to %s not delivered: %s", outbound.to_address, exc)
        OutboundMail.update(
            status="failed", attempts=OutboundMail.attempts + 1, last_error=str(exc)[:2000]
        ).where(OutboundMail.id == outbound.id).execute()
        return False
    OutboundMail.update(
        status="sent", attempts=OutboundMail.attempts + 1, sent_at=utcnow(), last_error=""
    ).where(OutboundMail.id == outbound.id).execute()
    return True


def retry_failed(app=None) -> tuple[int, int]:
    """Deliver every pending or failed outbox message again; returns (sent, still failing)."""
    ids = [
        m.id
        for m in OutboundMail.select(OutboundMail.id).where(
            OutboundMail.status.in_(("pending", "failed"))
        )
    ]
    sent = sum(deliver(i, app=app) for i in ids)
    return sent, len(ids) - sent


def _transport(url: str, message: EmailMessage) -> None:
    parts = urlsplit(url)
    if parts.scheme == "console":
        # Development: the message goes to stderr, where `make run` shows it.
        print(message.as_string(), file=sys.stderr, flush=True)  # noqa: T201
        return
    if parts.scheme not in {"smtp", "smtps"}:
        raise smtplib.SMTPException(f"unsupported MAIL_URL scheme {parts.scheme!r}")
    smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with smtp_class(parts.hostname or "127.0.0.1", parts.port or 25, timeout=10) as smtp:
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)
