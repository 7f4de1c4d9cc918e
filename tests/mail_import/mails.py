"""Mails of the shapes that really reach admin@intrlume.tech, built with the standard library."""

import itertools
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

SUPPORT = "admin@intrlume.tech"
_clock = itertools.count()


def next_date() -> datetime:
    """Dates a minute apart in the recent past, so a mailbox sorts as it was built."""
    return datetime.now(UTC) - timedelta(days=2) + timedelta(minutes=next(_clock) % 2000)


def plain(sender, subject, body, *, cte=None, message_id=True, date=None, **headers):
    """A plain-text mail; cte picks quoted-printable or base64."""
    message = EmailMessage()
    _address(message, sender, subject, message_id, date, headers)
    message.set_content(body, **({"cte": cte} if cte else {}))
    return message


def alternative(sender, subject, text, html, **headers):
    """multipart/alternative: a text part and an HTML part, as every webmail sends."""
    message = plain(sender, subject, text, **headers)
    message.add_alternative(html, subtype="html")
    return message


def html_only(sender, subject, html, *, date=None, **headers):
    """Only an HTML part (some phone clients and CRMs)."""
    message = EmailMessage()
    _address(message, sender, subject, True, date, headers)
    message.set_content(html, subtype="html", cte="quoted-printable")
    return message


def reply_to(original: EmailMessage, sender, body, **headers):
    """A reply in original's thread, with the original quoted below."""
    original_text = original.get_body(("plain",)).get_content()
    quoted = "\n".join(f"> {line}" for line in original_text.splitlines())
    subject = original["Subject"]
    message = plain(
        sender,
        subject if subject.lower().startswith("re:") else f"Re: {subject}",
        f"{body}\n\nOn Mon, 1 Jan 2024 at 10:00, {original['From']} wrote:\n{quoted}\n",
        **headers,
    )
    message["In-Reply-To"] = original["Message-ID"]
    message["References"] = " ".join(
        filter(None, [str(original.get("References", "")), original["Message-ID"]])
    )
    return message


def forwarded_inline(sender, original: EmailMessage, note):
    """A forward with the original pasted into the body (Gmail's 'Forwarded message')."""
    body = (
        f"{note}\n\n---------- Forwarded message ---------\n"
        f"From: {original['From']}\nDate: {original['Date']}\nSubject: {original['Subject']}\n"
        f"To: {original['To']}\n\n{original.get_body(('plain',)).get_content()}"
    )
    return plain(sender, f"Fwd: {original['Subject']}", body)


def forwarded_attached(sender, original: EmailMessage, note):
    """A forward with the original attached as message/rfc822 (Thunderbird, Outlook)."""
    message = plain(sender, f"Fwd: {original['Subject']}", note)
    message.add_attachment(original)
    return message


def bounce(original: EmailMessage, daemon="MAILER-DAEMON@mx.acme.example") -> bytes:
    """A delivery report (multipart/report) from a mailer daemon, as Postfix writes one."""
    headers = str(original).split("\n\n", 1)[0]
    return (
        f"From: Mail Delivery System <{daemon}>\n"
        f"To: {SUPPORT}\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        f"Date: {format_datetime(next_date())}\n"
        f"Message-ID: {make_msgid(domain='mx.acme.example')}\n"
        "Auto-Submitted: auto-replied\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNCE"\n'
        "\n--BOUNCE\nContent-Type: text/plain\n\n"
        "This is the mail system at host mx.acme.example. Your message could not be delivered.\n"
        "\n--BOUNCE\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.acme.example\n\n"
        "Final-Recipient: rfc822; old@acme.example\nAction: failed\nStatus: 5.1.1\n"
        "\n--BOUNCE\nContent-Type: text/rfc822-headers\n\n"
        f"{headers}\n--BOUNCE--\n"
    ).encode()


def auto_reply(sender, subject="Automatic reply: Your request"):
    return plain(
        sender,
        subject,
        "I am out of the office until Monday with limited access to mail.",
        **{"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"},
    )


def as_bytes(message) -> bytes:
    """The message as it travels (CRLF line ends); raw bytes are passed through."""
    return message if isinstance(message, bytes) else message.as_bytes(policy=policy.SMTP)


def _address(message, sender, subject, message_id, date, headers):
    message["From"] = sender
    message["To"] = SUPPORT
    message["Subject"] = subject
    message["Date"] = format_datetime(date or next_date())
    if message_id:
        message["Message-ID"] = make_msgid(domain="mail.example")
    for name, value in headers.items():
        message[name] = value


UNKNOWN_CHARSET = (
    b"From: Ada <ada@acme.example>\r\nTo: admin@intrlume.tech\r\nSubject: broken\r\n"
    b"Message-ID: <broken-1@mail.example>\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: text/plain; charset="x-no-such-charset"\r\n\r\nPlease add a number.\r\n'
)
NOT_A_MAIL = b"\x00\x01\x02 this is a stray binary file, not a mail \xff\xfe"
