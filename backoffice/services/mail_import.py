"""Requests that arrive by mail: the admin@ mailbox read into the staff queue, nothing twice."""

import contextlib
import hashlib
import imaplib
import ipaddress
import mailbox
import re
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import errors as email_errors
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html2text
from peewee import JOIN, DataError, IntegrityError, fn

from ..clock import to_utc_naive, utcnow
from ..extensions import database
from ..models import InboundMail, Membership, Organization, StaffUser, SupportRequest, User
from ..models.requests import REQUEST_KINDS
from .base import Actor, audit, changes, operation
from .errors import Conflict, ServiceError, ValidationFailed
from .requests import file_request

MAIL_REQUEST = "request"
MAIL_TRIAGE = "triage"
MAIL_ERROR = "error"
MAIL_DISMISSED = "dismissed"

IMPORTED = "imported"
REPLY = "reply"
DUPLICATE = "duplicate"
TRIAGE = "triage"
ERROR = "error"

DETAILS_LIMIT = 5000
TRUNCATED_NOTE = "\n[…] The whole mail is shown with the request."

# Reading arbitrary bytes as mail can fail in any of these ways; each one is kept as an error.
PARSE_ERRORS = (
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    IndexError,
    email_errors.MessageError,
)

# Which kind of request a mail is: the first kind with a matching pattern wins, so the
# specific kinds come before the general ones. Subjects are tried before bodies.
NUMBER = r"(?<!vat )(?<!tax )(?<!order )(?<!invoice )(?<!account )(?<!reference )numbers?\b(?! of)"
REMOVE_VERBS = "remove|release|cancel|drop|return|delete|disconnect|port out"
KIND_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "number_remove",
        (
            rf"\b({REMOVE_VERBS})\b[^.\n]{{0,40}}{NUMBER}",
            rf"\bno longer need\b[^.\n]{{0,40}}{NUMBER}",
            rf"\b({REMOVE_VERBS})\b[^.\n]{{0,20}}\+\d{{7,15}}",
            rf"{NUMBER}[^.\n]{{0,30}}\b(removed|released|cancell?ed|disconnected)\b",
        ),
    ),
    (
        "number_add",
        (
            rf"\b(add|new|another|extra|additional|second|buy|order|provision|get|need)\b"
            rf"[^.\n]{{0,40}}{NUMBER}",
            r"\b(local|toll[- ]free|inbound|outbound|phone) numbers?\b",
        ),
    ),
    (
        "enable_api_access",
        (
            r"\bapi\b[^.\n]{0,20}\b(access|keys?|tokens?)\b",
            r"\b(enable|activate|turn on|unlock)\b[^.\n]{0,20}\b(the )?api\b",
        ),
    ),
    (
        "enable_embedding",
        (r"\bembed(ding|ded)?\b", r"\bwidget\b", r"\bweb[- ]?agent\b"),
    ),
    (
        "plan_renewal",
        (
            r"\brenew(al|ing|ed)?\b",
            r"\b(extend|prolong)\b[^.\n]{0,30}\b(plan|subscription|period)\b",
            r"\b(plan|subscription) (has )?expir",
        ),
    ),
    (
        "plan_change",
        (
            r"\b(upgrade|downgrade)\b",
            r"\b(change|switch|move)\b[^.\n]{0,30}\bplan\b",
            r"\b(bigger|larger|higher|smaller|cheaper|different) (plan|tier)\b",
        ),
    ),
    (
        "org_details",
        (
            r"\bbilling[- ](e-?mail|address|contact)\b",
            r"\b(company|organi[sz]ation|business|legal) (name|address|details)\b",
            r"\brename\b",
            r"\b(vat|tax) (id|number)\b",
            r"\b(update|change|correct)\b[^.\n]{0,30}\b(address|details|invoice e-?mail)\b",
        ),
    ),
)
COMPILED_KIND_PATTERNS = tuple(
    (kind, tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns))
    for kind, patterns in KIND_PATTERNS
)

BULK_PRECEDENCE = {"bulk", "junk", "list"}
AUTOMATED_SENDERS = {"mailer-daemon", "postmaster"}
AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto(matic)?[- ]?response|out of (the )?office|autoreply)\b",
    re.IGNORECASE,
)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
RAW_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
FORWARD_MARKER = re.compile(
    r"^[ \t>*-]*(?:-{2,}\s*)?(?:forwarded message|original message|begin forwarded message)"
    r"[\s\S]{0,300}?^[ \t>*]*from:[ \t*]*(?P<sender>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
QUOTE_HEADER = re.compile(r"^(on .{5,200} wrote:|-{2,}\s*original message\s*-{2,})\s*$", re.I)


class SourceUnreadable(ServiceError):
    """The mailbox, file or server could not be read at all."""

    code = "source_unreadable"


@dataclass(frozen=True)
class ImportOutcome:
    """What became of one message: imported, reply, duplicate, triage or error."""

    status: str
    mail: InboundMail | None = None
    request: SupportRequest | None = None
    reason: str = ""


@dataclass
class Summary:
    """How many messages of a source went where; every message read is counted once."""

    imported: int = 0
    replies: int = 0
    duplicates: int = 0
    triage: int = 0
    errors: int = 0
    unassigned: int = 0
    outcomes: list[ImportOutcome] = field(default_factory=list, repr=False)

    def add(self, outcome: ImportOutcome) -> None:
        """Count one message's outcome."""
        self.outcomes.append(outcome)
        if outcome.status == IMPORTED:
            self.imported += 1
            self.unassigned += outcome.request.organization_id is None
        elif outcome.status == REPLY:
            self.replies += 1
        elif outcome.status == DUPLICATE:
            self.duplicates += 1
        elif outcome.status == TRIAGE:
            self.triage += 1
        else:
            self.errors += 1

    @property
    def total(self) -> int:
        return self.imported + self.replies + self.duplicates + self.triage + self.errors

    def __str__(self) -> str:
        return (
            f"{self.total} messages read: {self.imported} imported "
            f"({self.unassigned} need an organization), "
            f"{self.replies} replies added to existing requests, "
            f"{self.duplicates} duplicates, {self.triage} triage, {self.errors} errors."
        )


@dataclass
class ParsedMail:
    """The parts of a message the import works with, read once."""

    message: EmailMessage
    message_id: str | None
    references: list[str]
    from_address: str
    subject: str
    sent_at: datetime
    headers: list[list[str]]
    body_text: str


# --- reading a message -------------------------------------------------------------------


def content_hash(raw: bytes) -> str:
    """SHA-256 of a message with line endings and trailing blanks evened out (IMAP vs files)."""
    normalized = raw.replace(b"\r\n", b"\n").rstrip()
    return hashlib.sha256(normalized).hexdigest()


def without_nul(raw: bytes) -> bytes:
    """raw without NUL bytes, which no header may hold and PostgreSQL refuses in text."""
    return raw.replace(b"\x00", b"")


def parse_mail(raw: bytes) -> ParsedMail:
    """Read raw bytes as a mail; raises one of PARSE_ERRORS when they are not one."""
    message = BytesParser(policy=policy.default).parsebytes(without_nul(raw))
    if not message.keys():
        raise ValueError("no mail headers found")
    if message.get("From") is None:
        raise ValueError("the message has no From header")
    ids = [i for i in MESSAGE_ID.findall(str(message.get("Message-ID", ""))) if len(i) <= 998]
    return ParsedMail(
        message=message,
        message_id=storable(ids[0]) if ids else None,
        references=[storable(i) for i in referenced_ids(message)],
        from_address=storable(sender_address(message)),
        subject=storable(" ".join(str(message.get("Subject", "")).split())[:998]),
        sent_at=sent_at(message),
        headers=header_pairs(message),
        body_text=body_text(message),
    )


def referenced_ids(message: EmailMessage) -> list[str]:
    """The Message-IDs a mail answers, from In-Reply-To then References."""
    ids: list[str] = []
    for name in ("In-Reply-To", "References"):
        for value in message.get_all(name, []):
            ids += [i for i in MESSAGE_ID.findall(str(value)) if i not in ids]
    return ids


def sender_address(message: EmailMessage) -> str:
    """The From address, lower-cased, without its display name."""
    header = message.get("From")
    if header is None:
        return ""
    addresses = getattr(header, "addresses", ())
    if addresses and addresses[0].addr_spec:
        return addresses[0].addr_spec.lower()[:254]
    return parseaddr(str(header))[1].lower()[:254]


def without_plus_tag(address: str) -> str:
    """ada+billing@acme.example → ada@acme.example."""
    local, at, domain = address.partition("@")
    return f"{local.split('+', 1)[0]}{at}{domain}"


def sent_at(message: EmailMessage) -> datetime:
    """The Date header as naive UTC; now when it is missing, unreadable or in the future."""
    now = utcnow()
    try:
        value = parsedate_to_datetime(str(message.get("Date", "")))
    except PARSE_ERRORS:
        return now
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = to_utc_naive(value)
    return value if value <= now + timedelta(minutes=5) else now


def header_pairs(message: EmailMessage) -> list[list[str]]:
    """Every header in order, decoded where it can be (duplicates such as Received kept)."""
    try:
        pairs = [(name, str(value)) for name, value in message.items()]
    except PARSE_ERRORS:
        pairs = [(name, str(value)) for name, value in message.raw_items()]
    return [[storable(name), storable(value)] for name, value in pairs]


def html_to_text(html: str) -> str:
    """An HTML body as readable text (links and lists kept, lines not re-wrapped)."""
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    return converter.handle(html).strip()


def part_text(part) -> str:
    """A text part's content as plain text (HTML turned into text)."""
    content = part.get_content()
    return html_to_text(content) if part.get_content_type() == "text/html" else content.strip()


def body_text(message: EmailMessage) -> str:
    """The mail's text (plain preferred, else HTML as text), then any attached forwarded mails."""
    body = message.get_body(preferencelist=("plain", "html"))
    sections = [part_text(body)] if body is not None else []
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_content()
            inner_body = inner.get_body(preferencelist=("plain", "html"))
            sections.append(
                "---------- Forwarded message ----------\n"
                f"From: {inner.get('From', '')}\nDate: {inner.get('Date', '')}\n"
                f"Subject: {inner.get('Subject', '')}\n\n"
                + (part_text(inner_body) if inner_body is not None else "")
            )
    return "\n\n".join(s for s in sections if s)


def new_text(body: str) -> str:
    """The part of a reply above the quoted mail it answers."""
    lines = []
    for line in body.splitlines():
        if QUOTE_HEADER.match(line.strip()):
            break
        if not line.startswith(">"):
            lines.append(line)
    return "\n".join(lines).strip()


# --- understanding it --------------------------------------------------------------------


def automated_reason(message: EmailMessage, from_address: str) -> str | None:
    """Why a mail was sent by a machine (bounce, auto-reply, bulk), or None for a person's."""
    if message.get_content_type() == "multipart/report":
        return "Delivery report (bounce)."
    if from_address.partition("@")[0] in AUTOMATED_SENDERS:
        return f"Bounce or notice from {from_address}."
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Automatic reply (Auto-Submitted: {auto_submitted})."
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in BULK_PRECEDENCE:
        return f"Bulk mail (Precedence: {precedence})."
    for name in ("X-Autoreply", "X-Autorespond"):
        if message.get(name) is not None:
            return f"Automatic reply ({name})."
    if AUTO_REPLY_SUBJECT.match(str(message.get("Subject", ""))):
        return "Automatic reply (out of office)."
    return None


def find_customer(address: str) -> User | None:
    """The customer user who wrote from address, ignoring case and a +tag."""
    candidates = list(dict.fromkeys([address.lower(), without_plus_tag(address.lower())]))
    users = {u.email: u for u in User.select().where(User.email.in_(candidates))}
    return next((users[c] for c in candidates if c in users), None)


def forwarded_sender(parsed: ParsedMail) -> tuple[str, EmailMessage | None] | None:
    """The original sender of a forwarded mail (and the attached original, when there is one)."""
    for part in parsed.message.walk():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_content()
            return sender_address(inner), inner
    match = FORWARD_MARKER.search(parsed.body_text)
    if match is None:
        return None
    addresses = getaddresses([match.group("sender").replace("*", "")])
    address = addresses[0][1].lower() if addresses else ""
    return (address, None) if "@" in address else None


def organizations_of(user: User) -> list[Organization]:
    """The organizations user belongs to, by name."""
    return list(
        Organization.select()
        .join(Membership)
        .where(Membership.user == user)
        .order_by(Organization.name)
    )


def named_organization(organizations: list[Organization], text: str) -> Organization | None:
    """The one organization of the list that the text names by public ID or name, if any."""
    by_id = [o for o in organizations if o.public_id.lower() in text.lower()]
    if by_id:
        return by_id[0] if len(by_id) == 1 else None
    by_name = [
        o
        for o in organizations
        if re.search(rf"(?<!\w){re.escape(o.name)}(?!\w)", text, re.IGNORECASE)
    ]
    # "Acme Labs" also contains "Acme": the longer name is the one meant.
    by_name = [
        o for o in by_name if not any(o.name.lower() in p.name.lower() and o != p for p in by_name)
    ]
    return by_name[0] if len(by_name) == 1 else None


def classify_kind(subject: str, body: str) -> str:
    """The kind of request a mail asks for, by KIND_PATTERNS on the subject, then the body."""
    for text in (subject, new_text(body)[:4000]):
        for kind, patterns in COMPILED_KIND_PATTERNS:
            if any(p.search(text) for p in patterns):
                return kind
    return "other"


def thread_request(references: list[str]) -> SupportRequest | None:
    """The request a reply belongs to, by the Message-IDs it answers."""
    if not references:
        return None
    request = SupportRequest.get_or_none(SupportRequest.mail_message_id.in_(references))
    if request is not None:
        return request
    earlier = (
        InboundMail.select()
        .where(InboundMail.message_id.in_(references), InboundMail.request.is_null(False))
        .first()
    )
    return earlier.request if earlier is not None else None


def may_reply_to(address: str, user: User | None, request: SupportRequest) -> bool:
    """Whether a reply from address may be added to request: its requester or a member."""
    if address in (request.requester_email, without_plus_tag(request.requester_email)):
        return True
    if user is None or request.organization_id is None:
        return user is not None and user.id == request.requested_by_id
    return (
        Membership.select()
        .where(Membership.user == user, Membership.organization == request.organization_id)
        .exists()
    )


def storable(text: str) -> str:
    """text as valid UTF-8 without NUL, whatever undecodable bytes a header held."""
    try:
        # The email parser keeps undecodable header bytes as surrogates; decode them properly.
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "\ufffd")


def truncated(text: str, limit: int = DETAILS_LIMIT) -> str:
    """text cut to fit a request's details, saying where the rest is."""
    if len(text) <= limit:
        return text
    return text[: limit - len(TRUNCATED_NOTE)] + TRUNCATED_NOTE


# --- importing -----------------------------------------------------------------------------


def is_known(message_id: str | None, digest: str) -> bool:
    """Whether this message was imported before (same Message-ID, or same content)."""
    if (
        message_id is not None
        and InboundMail.select().where(InboundMail.message_id == message_id).exists()
    ):
        return True
    return InboundMail.select().where(InboundMail.content_hash == digest).exists()


def _store(parsed: ParsedMail, digest: str, status: str, reason: str = "", **links) -> InboundMail:
    """Keep a readable mail with its headers and text."""
    return InboundMail.create(
        message_id=parsed.message_id,
        content_hash=digest,
        received_at=parsed.sent_at,
        from_address=parsed.from_address,
        subject=parsed.subject,
        headers=parsed.headers,
        body_text=storable(parsed.body_text),
        status=status,
        reason=reason[:500],
        **links,
    )


def _keep_malformed(raw: bytes, digest: str, error: Exception) -> ImportOutcome:
    """Keep a message that could not be read, with the error, so it is never lost."""
    found = RAW_MESSAGE_ID.search(without_nul(raw))
    message_id = storable(found.group(1).decode("utf-8", "replace")) if found else None
    if is_known(message_id, digest):
        return ImportOutcome(DUPLICATE, reason="Imported before.")
    reason = f"Could not read the message: {error}"
    try:
        headers = BytesParser(policy=policy.default).parsebytes(without_nul(raw), headersonly=True)
        from_address = storable(sender_address(headers))
        subject = storable(str(headers.get("Subject", ""))[:998])
        pairs = header_pairs(headers)
    except PARSE_ERRORS:
        from_address, subject, pairs = "", "", None
    mail = InboundMail.create(
        message_id=message_id,
        content_hash=digest,
        from_address=from_address,
        subject=subject,
        headers=pairs,
        body_text=storable(raw.decode("utf-8", "replace")[:100_000]),
        status=MAIL_ERROR,
        reason=reason[:500],
    )
    return ImportOutcome(ERROR, mail=mail, reason=reason)


def _triage(parsed: ParsedMail, digest: str, reason: str) -> ImportOutcome:
    """Keep a mail that is not a request for staff to look at."""
    mail = _store(parsed, digest, MAIL_TRIAGE, reason)
    return ImportOutcome(TRIAGE, mail=mail, reason=reason)


def _attach_reply(
    parsed: ParsedMail, digest: str, request: SupportRequest, actor: Actor
) -> ImportOutcome:
    """Add a reply in a request's thread to that request instead of filing a new one."""
    reason = f"Reply to {request.public_id}."
    mail = _store(
        parsed, digest, MAIL_REQUEST, reason, organization=request.organization, request=request
    )
    addition = (
        f"\n\n--- Reply from {parsed.from_address} on {parsed.sent_at:%Y-%m-%d %H:%M} UTC ---\n"
        f"{new_text(parsed.body_text)}"
    )
    request.details = storable(truncated(request.details + addition))
    request.updated_at = utcnow()
    request.save(only=[SupportRequest.details, SupportRequest.updated_at])
    audit(
        actor,
        "request.reply_imported",
        request.organization,
        request,
        after={"from": parsed.from_address, "subject": parsed.subject},
    )
    return ImportOutcome(REPLY, mail=mail, request=request, reason=reason)


def _file(parsed: ParsedMail, digest: str, actor: Actor) -> ImportOutcome:
    """Decide what one readable, new message is, and record it."""
    reason = automated_reason(parsed.message, parsed.from_address)
    if reason:
        return _triage(parsed, digest, reason)

    requester_address, original = parsed.from_address, None
    sender = find_customer(requester_address)
    thread = thread_request(parsed.references)
    if sender is None and thread is None and StaffUser.get_or_none(email=parsed.from_address):
        forwarded = forwarded_sender(parsed)
        if forwarded is not None:
            requester_address, original = forwarded
            sender = find_customer(requester_address)

    if thread is not None:
        if may_reply_to(requester_address, sender, thread):
            return _attach_reply(parsed, digest, thread, actor)
        return _triage(
            parsed, digest, f"Reply to {thread.public_id} from someone outside its organization."
        )
    if sender is None:
        return _triage(parsed, digest, f"Unknown sender {requester_address}.")
    organizations = organizations_of(sender)
    if not organizations:
        return _triage(parsed, digest, f"{sender.email} belongs to no organization.")

    text = f"{parsed.subject}\n{parsed.body_text}"
    organization = (
        organizations[0] if len(organizations) == 1 else named_organization(organizations, text)
    )
    kind = classify_kind(parsed.subject, parsed.body_text)
    thread_source = original if original is not None else parsed.message
    thread_ids = MESSAGE_ID.findall(str(thread_source.get("Message-ID", "")))
    request = SupportRequest.create(
        organization=organization,
        requested_by=sender,
        requester_email=requester_address,
        kind=kind,
        details=storable(truncated(parsed.body_text or parsed.subject)),
        source="email",
        needs_triage=organization is None,
        mail_message_id=storable(thread_ids[0]) if thread_ids else None,
        mail_references=storable(" ".join(referenced_ids(thread_source))) or None,
        mail_subject=storable(str(thread_source.get("Subject", ""))[:998]) or parsed.subject,
        created_at=parsed.sent_at,
        updated_at=parsed.sent_at,
    )
    reason = "" if organization else f"{sender.email} is in several organizations; none named."
    mail = _store(parsed, digest, MAIL_REQUEST, reason, organization=organization, request=request)
    audit(
        actor,
        "request.imported",
        organization,
        request,
        after={"kind": kind, "from": requester_address, "subject": parsed.subject},
    )
    return ImportOutcome(IMPORTED, mail=mail, request=request, reason=reason)


@operation
def import_message(raw: bytes, *, actor: Actor) -> ImportOutcome:
    """Import one raw message: a new request, a reply to one, a triage item or an error."""
    digest = content_hash(raw)
    try:
        parsed = parse_mail(raw)
    except PARSE_ERRORS as exc:
        return _keep_malformed(raw, digest, exc)
    if is_known(parsed.message_id, digest):
        return ImportOutcome(DUPLICATE, reason="Imported before.")
    try:
        with database.atomic():
            return _file(parsed, digest, actor)
    except IntegrityError:
        # Another import stored the same message between our check and our insert.
        return ImportOutcome(DUPLICATE, reason="Imported at the same time by another run.")
    except (*PARSE_ERRORS, DataError) as exc:
        # A header that fails only when read, or a value the database refuses: still kept.
        return _keep_malformed(raw, digest, exc)


# --- sources ---------------------------------------------------------------------------------


def _date_key(raw: bytes) -> datetime:
    """When a message was sent, for importing a mailbox oldest first (replies after originals)."""
    try:
        header = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
        return sent_at(header)
    except PARSE_ERRORS:
        return utcnow()


def read_source(path: Path) -> list[bytes]:
    """Every message of a Maildir folder, an mbox file or a single .eml, oldest first."""
    path = Path(path)
    try:
        if path.is_dir():
            if not all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
                raise SourceUnreadable(f"{path} is a folder but not a Maildir (cur, new, tmp).")
            box = mailbox.Maildir(path, factory=None, create=False)
            messages = [box.get_bytes(key) for key in sorted(box.iterkeys())]
        else:
            with path.open("rb") as source:
                head = source.read(5)
            if not head:
                messages = []
            elif head == b"From ":
                box = mailbox.mbox(path, factory=None, create=False)
                try:
                    messages = [box.get_bytes(key) for key in box.iterkeys()]
                finally:
                    box.close()
            else:
                messages = [path.read_bytes()]
    except (OSError, mailbox.Error) as exc:
        raise SourceUnreadable(f"Could not read {path}: {exc}") from exc
    return sorted(messages, key=_date_key)


def import_source(path, *, actor: Actor | None = None) -> Summary:
    """Import every message of a Maildir folder, an mbox file or a single .eml."""
    actor = actor or Actor.system("mail-import")
    summary = Summary()
    for raw in read_source(Path(path)):
        summary.add(import_message(raw, actor=actor))
    return summary


def _imap_client(url: str):
    """A logged-in IMAP client and the folder named by imaps://user:password@host[:port]/FOLDER."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise SourceUnreadable("IMAP_URL must look like imaps://user:password@host/INBOX.")
    host = parts.hostname
    if parts.scheme == "imaps":
        client = imaplib.IMAP4_SSL(
            host, parts.port or 993, ssl_context=ssl.create_default_context(), timeout=30
        )
    else:
        client = imaplib.IMAP4(host, parts.port or 143, timeout=30)
    try:
        if parts.scheme == "imap" and "STARTTLS" in client.capabilities:
            client.starttls(ssl.create_default_context())
        elif parts.scheme == "imap" and not _is_loopback(host):
            raise SourceUnreadable(
                f"{host} offers no STARTTLS; use imaps:// rather than send the password in clear."
            )
        client.login(unquote(parts.username or ""), unquote(parts.password or ""))
    except BaseException:
        # A failed STARTTLS has already closed the socket; the first error is the one to tell.
        with contextlib.suppress(OSError):
            client.shutdown()
        raise
    return client, unquote(parts.path.lstrip("/")) or "INBOX"


def _is_loopback(host: str) -> bool:
    """Whether host is this machine, where a password may travel without TLS."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _fetched_bytes(data) -> bytes:
    """The message bytes in imaplib's answer to a FETCH."""
    return next(item[1] for item in data if isinstance(item, tuple))


def fetch_imap(url: str, *, actor: Actor | None = None) -> Summary:
    """Import the folder's unseen messages and mark each one kept in the database as seen."""
    actor = actor or Actor.system("mail-import")
    summary = Summary()
    try:
        client, folder = _imap_client(url)
        try:
            status, detail = client.select(f'"{folder}"')
            if status != "OK":
                raise SourceUnreadable(f"No folder {folder}: {detail}")
            _, found = client.uid("SEARCH", None, "UNSEEN")
            for uid in found[0].split():
                _, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
                summary.add(import_message(_fetched_bytes(data), actor=actor))
                # Every outcome, malformed ones too, is now in the database: never fetch it again.
                client.uid("STORE", uid, "+FLAGS", r"(\Seen)")
        finally:
            client.logout()
    except (imaplib.IMAP4.error, OSError, StopIteration) as exc:
        raise SourceUnreadable(f"Could not read the IMAP mailbox: {exc}") from exc
    return summary


# --- working the triage list -------------------------------------------------------------


def triage_mails():
    """Mails waiting for staff: not requests, unreadable, or requests with no organization."""
    earlier = InboundMail.alias()
    first_of_request = earlier.select(fn.MIN(earlier.id)).where(
        earlier.request == InboundMail.request
    )
    return (
        InboundMail.select(InboundMail, SupportRequest)
        .join(
            SupportRequest, on=(InboundMail.request == SupportRequest.id), join_type=JOIN.LEFT_OUTER
        )
        .where(
            InboundMail.status.in_((MAIL_TRIAGE, MAIL_ERROR))
            | (
                (InboundMail.status == MAIL_REQUEST)
                & SupportRequest.needs_triage
                & SupportRequest.organization.is_null()
                # A request's replies follow it: only the mail it came from is listed.
                & (InboundMail.id == first_of_request)
            )
        )
        .order_by(InboundMail.received_at.desc(), InboundMail.id.desc())
    )


def mail_for_request(request: SupportRequest) -> InboundMail | None:
    """The mail a request was imported from (its first one), or None."""
    return mails_for_request(request).first()


def mails_for_request(request: SupportRequest):
    """Every mail of a request's thread, oldest first."""
    return (
        InboundMail.select()
        .where(InboundMail.request == request)
        .order_by(InboundMail.received_at, InboundMail.id)
    )


def suggested_organizations(mail: InboundMail) -> list[Organization]:
    """The organizations a triage mail most likely belongs to: its sender's."""
    if mail.request_id and mail.request.requested_by_id:
        return organizations_of(mail.request.requested_by)
    sender = find_customer(mail.from_address) if mail.from_address else None
    return organizations_of(sender) if sender is not None else []


def _header(mail: InboundMail, name: str) -> str:
    """The first stored header of that name, or ""."""
    return next((v for k, v in (mail.headers or []) if k.lower() == name.lower()), "")


@operation
def relink_mail(actor: Actor, mail: InboundMail, organization: Organization, kind: str):
    """File a triage mail as a request of organization and kind (or settle an unassigned one)."""
    if kind not in REQUEST_KINDS:
        raise ValidationFailed({"kind": "Choose a kind of request."})
    mail = InboundMail.get_by_id(mail.id)
    request = mail.request
    if request is not None:
        if not (request.needs_triage and request.organization_id is None):
            raise Conflict(f"This mail is already request {request.public_id}.")
        before, after = changes(
            request, {"organization": organization, "kind": kind, "needs_triage": False}
        )
        request.updated_at = utcnow()
        request.save()
        audit(actor, "request.relinked", organization, request, before=before, after=after)
    elif mail.status in (MAIL_TRIAGE, MAIL_ERROR):
        sender = find_customer(mail.from_address) if mail.from_address else None
        is_member = sender is not None and organization in organizations_of(sender)
        sender_fields = {} if is_member else {"from_email": mail.from_address}
        request = file_request(
            actor,
            organization,
            kind,
            truncated(mail.body_text or mail.subject),
            requested_by=sender if is_member else None,
            source="email",
            mail_message_id=mail.message_id,
            mail_references=" ".join(MESSAGE_ID.findall(_header(mail, "References"))) or None,
            mail_subject=mail.subject or None,
            **sender_fields,
        )
    else:
        raise Conflict("This mail has been dealt with already.")
    mail.status, mail.request, mail.organization = MAIL_REQUEST, request, organization
    mail.save()
    return request


@operation
def dismiss_mail(actor: Actor, mail: InboundMail) -> InboundMail:
    """Take a triage mail (a bounce, an auto-reply, spam) off the triage list."""
    mail = InboundMail.get_by_id(mail.id)
    if mail.status not in (MAIL_TRIAGE, MAIL_ERROR):
        raise Conflict("Only triage items can be dismissed.")
    reason = mail.status
    mail.status = MAIL_DISMISSED
    mail.save(only=[InboundMail.status])
    audit(
        actor,
        "mail.dismissed",
        None,
        mail,
        before={"status": reason},
        after={"from": mail.from_address, "subject": mail.subject},
    )
    return mail
