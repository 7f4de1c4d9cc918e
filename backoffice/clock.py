"""Time helpers: the database stores naive UTC datetimes, everything else speaks aware ones."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Now, as the naive UTC datetime the database stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(value: datetime | None, timezone: str) -> datetime | None:
    """A stored naive-UTC datetime seen in an IANA timezone."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))


def to_utc_naive(value: datetime) -> datetime:
    """An aware datetime as the naive UTC value the database stores."""
    return value.astimezone(UTC).replace(tzinfo=None)
