"""The web agent's domain allowlist: origins, normalised, and how a request's origin matches."""

import re
from urllib.parse import urlsplit

import idna

from ..models import Organization
from .base import Actor, audit, operation
from .errors import Forbidden, ValidationFailed

DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_ORIGINS = 100
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_origin(raw: str) -> str:
    """`scheme://host[:port]`, lower-case IDNA host, default port dropped; ValueError otherwise.

    A leading `*.` label (https://*.example.com) allows every subdomain.
    """
    text = raw.strip()
    if not text or any(c in text for c in " \t\"';,") or any(ord(c) < 32 for c in text):
        raise ValueError("an origin has no spaces, quotes, semicolons or commas")
    text = text.removesuffix("/")
    parts = urlsplit(text)
    if parts.scheme not in DEFAULT_PORTS or not parts.netloc:
        raise ValueError("start with https:// or http://")
    if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError("give only the scheme, host and port, with no path")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError("the port is not a number from 1 to 65535") from exc
    host = parts.hostname or ""
    wildcard = host.startswith("*.")
    if wildcard:
        host = host[2:]
    if "*" in host:
        raise ValueError("a wildcard may only be the first label, as in https://*.example.com")
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii").lower()
    except idna.IDNAError as exc:
        raise ValueError("the host name is not valid") from exc
    labels = ascii_host.split(".")
    if not all(_HOST_LABEL.match(label) for label in labels) or (wildcard and len(labels) < 2):
        raise ValueError("the host name is not valid")
    netloc = ("*." if wildcard else "") + ascii_host
    if port is not None and port != DEFAULT_PORTS[parts.scheme]:
        netloc += f":{port}"
    return f"{parts.scheme}://{netloc}"


def parse_allowlist(text: str) -> list[str]:
    """Normalised, de-duplicated origins from one-per-line text; refuses naming the bad line."""
    origins: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            origin = normalize_origin(line)
        except ValueError as exc:
            shown = line.strip()[:100]
            raise ValidationFailed(
                {"allowed_origins": f"Line {number} “{shown}” is not an origin: {exc}."}
            ) from exc
        if origin not in origins:
            origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        raise ValidationFailed({"allowed_origins": f"List at most {MAX_ORIGINS} origins."})
    return origins


def origin_allowed(allowlist: list[str], origin: str | None) -> bool:
    """Whether a browser origin may host the widget; an empty allowlist allows any real origin."""
    if not origin or origin == "null":
        return False
    try:
        candidate = normalize_origin(origin)
    except ValueError:
        return False
    if "*" in candidate:
        return False
    if not allowlist:
        return True
    scheme, _, netloc = candidate.partition("://")
    for allowed in allowlist:
        allowed_scheme, _, allowed_netloc = allowed.partition("://")
        if allowed_scheme != scheme:
            continue
        if allowed_netloc == netloc:
            return True
        if allowed_netloc.startswith("*.") and netloc.endswith(allowed_netloc[1:]):
            return True
    return False


@operation
def save_allowlist(actor: Actor, organization: Organization, text: str) -> list[str]:
    """Replace the allowlist (only while embedding is enabled)."""
    if not organization.embedding_enabled:
        raise Forbidden(
            "Embedding is not enabled for this organization.", code="embedding_disabled"
        )
    origins = parse_allowlist(text)
    before = organization.origin_list
    organization.allowed_origins = "\n".join(origins)
    Organization.update(allowed_origins=organization.allowed_origins).where(
        Organization.id == organization.id
    ).execute()
    audit(
        actor,
        "web_agent.allowlist_changed",
        organization,
        organization,
        before={"allowed_origins": before},
        after={"allowed_origins": origins},
    )
    return origins
