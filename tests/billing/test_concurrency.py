"""Concurrent charges on PostgreSQL: threads, each with its own connection, lose nothing."""

import threading
from datetime import UTC, datetime

import pytest

from backoffice.extensions import database
from backoffice.models import LedgerEntry
from backoffice.services import ledger

from .. import dbs
from ..factories import make_agent, make_org
from .helpers import STAFF, SYSTEM, assert_balanced, balance

THREADS = 8
CALLS_EACH = 15


def run_in_threads(app, work) -> list[BaseException]:
    """Run work(n) in THREADS threads released together; returns what they raised."""
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def target(n):
        try:
            with app.app_context(), database.connection_context():
                barrier.wait()
                work(n)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    threads = [threading.Thread(target=target, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return failures


def record(org, agent, call_id, duration=60):
    return ledger.record_call(
        SYSTEM,
        org,
        agent,
        call_id=call_id,
        started_at=datetime(2026, 11, 5, 12, 0, tzinfo=UTC),
        duration_seconds=duration,
        direction="inbound",
        from_number="+14155550100",
        to_number="+14155550199",
    )


@pytest.fixture
def postgres_only(app):
    if not dbs.is_postgres(app.config["DATABASE_URL"]):
        pytest.skip(
            "SQLite serialises every writer, so threads can't race there; this test runs "
            "with TEST_DATABASE_URL=postgresql://…"
        )


def test_concurrent_record_call_loses_nothing(app, ctx, postgres_only):
    org = make_org()
    agent = make_agent(org)
    ledger.grant_credits(STAFF, org, 100_000, "Start")

    def work(n):
        for i in range(CALLS_EACH):
            record(org, agent, f"call_{n}_{i}", duration=60 * (1 + i % 3))

    assert run_in_threads(app, work) == []
    expected = 100_000 - THREADS * sum(10 * (1 + i % 3) for i in range(CALLS_EACH))
    assert balance(org) == expected
    assert LedgerEntry.select().where(LedgerEntry.kind == "call").count() == THREADS * CALLS_EACH
    assert_balanced(org)
    balances = sorted(e.balance_after for e in LedgerEntry.select())
    assert len(set(balances)) == len(balances)  # each entry saw a distinct balance


def test_the_same_call_posted_concurrently_is_charged_once(app, ctx, postgres_only):
    org = make_org()
    agent = make_agent(org)
    results = []

    def work(n):
        results.append(record(org, agent, "call_contested"))

    assert run_in_threads(app, work) == []
    assert sorted(r.created for r in results) == [False] * (THREADS - 1) + [True]
    assert LedgerEntry.select().count() == 1
    assert balance(org) == -10
    assert_balanced(org)


def test_concurrent_grants_and_charges_across_kinds(app, ctx, postgres_only):
    org = make_org()
    agent = make_agent(org)

    def work(n):
        for i in range(5):
            if n % 2:
                ledger.grant_credits(STAFF, org, 7, f"Grant {n}.{i}")
            else:
                record(org, agent, f"call_{n}_{i}")

    assert run_in_threads(app, work) == []
    assert balance(org) == (THREADS // 2) * 5 * (7 - 10)
    assert_balanced(org)
