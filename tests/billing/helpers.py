"""Small helpers shared by the billing tests."""

from datetime import UTC, datetime

from backoffice.models import AuditEvent, LedgerEntry, Organization
from backoffice.services import ledger
from backoffice.services.base import Actor

SYSTEM = Actor.system("test")
STAFF = Actor("staff", 1, "staff@intrlume.tech", "127.0.0.1")


def call(org, agent, call_id, started_at=None, duration=61, actor=SYSTEM):
    """Record one call through the service (started now-ish unless told)."""
    return ledger.record_call(
        actor,
        org,
        agent,
        call_id=call_id,
        started_at=started_at or datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
        duration_seconds=duration,
        direction="outbound",
        from_number="+14155550100",
        to_number="+14155550199",
    )


def balance(org) -> int:
    return Organization.get_by_id(org.id).credit_balance


def ledger_sum(org) -> int:
    return sum(e.credits for e in LedgerEntry.select().where(LedgerEntry.organization == org.id))


def assert_balanced(org) -> None:
    """The balance equals the sum of entries, and each balance_after is a running total."""
    entries = list(
        LedgerEntry.select().where(LedgerEntry.organization == org.id).order_by(LedgerEntry.id)
    )
    running = 0
    for entry in entries:
        running += entry.credits
        assert entry.balance_after == running, entry.idempotency_key
    assert balance(org) == running == ledger_sum(org)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))
