"""Secret API keys: `sk_live_` + 43 base-62 characters (256 bits) + a 6-character CRC32 checksum.

The checksum (as in GitHub's token format) lets a mistyped or truncated key be refused before
any database lookup, and lets secret scanners recognise a leaked key. Only the SHA-256 of a
key is stored; the secret is shown once.
"""

import hashlib
import hmac
import re
import zlib
from datetime import timedelta

from .. import mail
from ..clock import utcnow
from ..models import ApiKey, Membership, Organization, User
from ..models.fields import random_base62, to_base62
from ..models.people import ROLE_ADMIN
from .base import Actor, audit, operation
from .errors import Forbidden

PREFIX = "sk_live_"
BODY_LENGTH = 43
CHECKSUM_LENGTH = 6
KEY_PATTERN = re.compile(rf"^{PREFIX}[0-9A-Za-z]{{{BODY_LENGTH + CHECKSUM_LENGTH}}}$")
LAST_USED_RESOLUTION = timedelta(minutes=1)


def checksum(body: str) -> str:
    return to_base62(zlib.crc32(body.encode()), CHECKSUM_LENGTH)


def make_secret() -> str:
    body = random_base62(BODY_LENGTH)
    return f"{PREFIX}{body}{checksum(body)}"


def is_well_formed(secret: str | None) -> bool:
    """Prefix, length, alphabet and checksum all right; needs no database."""
    if not secret or not KEY_PATTERN.match(secret):
        return False
    body, check = secret[len(PREFIX) : -CHECKSUM_LENGTH], secret[-CHECKSUM_LENGTH:]
    return hmac.compare_digest(checksum(body), check)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def active_key(organization: Organization) -> ApiKey | None:
    return (
        ApiKey.select()
        .where(ApiKey.organization == organization, ApiKey.revoked_at.is_null())
        .first()
    )


@operation
def generate_key(actor: Actor, organization: Organization, created_by: User | None):
    """Issue the organization's key, revoking the previous one at once; returns (key, secret)."""
    if not organization.api_access_enabled:
        raise Forbidden(
            "API access is not enabled for this organization.", code="api_access_disabled"
        )
    previous = active_key(organization)
    now = utcnow()
    if previous is not None:
        ApiKey.update(revoked_at=now).where(ApiKey.id == previous.id).execute()
    secret = make_secret()
    key = ApiKey.create(
        organization=organization,
        key_hash=hash_secret(secret),
        prefix=secret[: len(PREFIX) + 4],
        last_four=secret[-4:],
        created_by=created_by,
        created_at=now,
    )
    action = "api_key.regenerated" if previous else "api_key.generated"
    audit(
        actor,
        action,
        organization,
        key,
        before={"key": previous.display} if previous else None,
        after={"key": key.display},
    )
    admins = (
        User.select(User.email)
        .join(Membership)
        .where(Membership.organization == organization, Membership.role == ROLE_ADMIN)
    )
    for admin in admins:
        mail.send(
            admin.email,
            "api_key_generated",
            organization=organization,
            key=key,
            regenerated=previous is not None,
            actor_label=actor.label,
        )
    return key, secret


def authenticate_key(secret: str | None) -> ApiKey | None:
    """The active key for a secret, or None; a malformed secret costs no query."""
    if not is_well_formed(secret):
        return None
    digest = hash_secret(secret)
    key = (
        ApiKey.select(ApiKey, Organization)
        .join(Organization)
        .where(ApiKey.key_hash == digest)
        .first()
    )
    if key is None or key.revoked_at is not None or not hmac.compare_digest(key.key_hash, digest):
        return None
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        # At most one write a minute per key, and only if no other request just did it.
        ApiKey.update(last_used_at=now).where(
            ApiKey.id == key.id,
            (ApiKey.last_used_at.is_null()) | (ApiKey.last_used_at <= now - LAST_USED_RESOLUTION),
        ).execute()
        key.last_used_at = now
    return key
