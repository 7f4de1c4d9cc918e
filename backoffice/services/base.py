"""What every service shares: who acts, the transaction, and the audit event it writes."""

import functools
from contextvars import ContextVar
from dataclasses import dataclass

from peewee import SqliteDatabase

from ..clock import utcnow
from ..extensions import database
from ..models import AuditEvent

_after_commit: ContextVar[list | None] = ContextVar("after_commit", default=None)


@dataclass(frozen=True)
class Actor:
    """Who performs an operation: a customer user, a staff member, an API key or the system."""

    kind: str
    id: int | None
    label: str
    ip: str | None = None

    @classmethod
    def user(cls, user, ip=None):
        return cls("user", user.id, user.email, ip)

    @classmethod
    def staff(cls, staff, ip=None):
        return cls("staff", staff.id, staff.email, ip)

    @classmethod
    def api_key(cls, key, ip=None):
        return cls("api_key", key.id, key.display, ip)

    @classmethod
    def system(cls, label="system"):
        return cls("system", None, label)


def operation(fn):
    """Run a service function in one transaction; work queued with after_commit runs after it."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _after_commit.get() is not None:
            with database.atomic():
                return fn(*args, **kwargs)
        pending: list = []
        token = _after_commit.set(pending)
        try:
            with database.atomic():
                result = fn(*args, **kwargs)
        finally:
            _after_commit.reset(token)
        for callback in pending:
            callback()
        return result

    return wrapper


def after_commit(callback) -> None:
    """Run callback once the surrounding operation has committed (at once outside one)."""
    pending = _after_commit.get()
    if pending is None:
        callback()
    else:
        pending.append(callback)


def audit(actor: Actor, action: str, organization=None, target=None, before=None, after=None):
    """Write the audit event of an operation, inside its transaction."""
    target_type, target_id = "", ""
    if target is not None:
        target_type = type(target).__name__.lower()
        target_id = str(getattr(target, "public_id", None) or getattr(target, "id", ""))
    return AuditEvent.create(
        actor_type=actor.kind,
        actor_id=actor.id,
        actor_label=actor.label,
        organization=organization,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        ip_address=actor.ip,
    )


def audit_many(actor: Actor, action: str, events: list[tuple[int, dict]]) -> None:
    """Write one audit event per (organization id, after) pair in one statement.

    For bulk imports, where an event per organization per batch would otherwise cost a
    statement each; inside the caller's transaction like audit().
    """
    if not events:
        return
    now = utcnow()
    if isinstance(database.obj, SqliteDatabase):
        now = now.isoformat(" ")  # the text form peewee stores for datetimes on SQLite
    columns = (
        "created_at",
        "actor_type",
        "actor_id",
        "actor_label",
        "organization_id",
        "action",
        "target_type",
        "target_id",
        "after",
        "ip_address",
    )
    rows = [
        (
            now,
            actor.kind,
            actor.id,
            actor.label,
            organization_id,
            action,
            "organization",
            "",
            AuditEvent.after.db_value(after),
            actor.ip,
        )
        for organization_id, after in events
    ]
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join([database.obj.param] * len(columns))
    sql = f'INSERT INTO "audit_event" ({names}) VALUES ({marks})'  # noqa: S608  # nosec B608 - constant names
    database.cursor().executemany(sql, rows)


def changes(obj, values: dict) -> tuple[dict, dict]:
    """Apply values to obj; return (before, after) holding only the fields that changed."""
    before, after = {}, {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            before[name], after[name] = old, value
            setattr(obj, name, value)
    return before, after
