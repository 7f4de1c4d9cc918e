"""Billing tab speed on a big ledger: first page, filtered page, search, deep page, CSV memory.

    .venv/bin/python bench/billing.py [--postgres postgresql://postgres@127.0.0.1:5432/postgres]
                                      [--ledger-entries 1000000] [--orgs 81] [--runs 7]

Builds a fresh database (a temporary SQLite file, or a new PostgreSQL database on the given
server, dropped at the end) with `seed-demo --ledger-entries N`. The demo weights its first
organization (Acme Robotics) 20 to 1, so with 81 organizations it holds about a fifth of the
entries: about 200,000 of 1,000,000, the rest spread over the other 80. Then, logged in as
Acme's admin through the Flask test client, it times each kind of Billing page (median of
--runs after one warm-up) and streams the CSV of all Acme's entries, measuring the peak
Python memory with tracemalloc. It prints a table and the query plans of the page queries,
and exits 1 when a page is over the 100 ms target. Only 127.0.0.1 is contacted.
"""

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from peewee import SqliteDatabase  # noqa: E402 - after the path set-up

from backoffice import create_app  # noqa: E402
from backoffice.clock import to_local, utcnow  # noqa: E402
from backoffice.db import upgrade  # noqa: E402
from backoffice.demo import DEMO_PASSWORD  # noqa: E402
from backoffice.extensions import database  # noqa: E402
from backoffice.models import LedgerEntry, Organization  # noqa: E402
from backoffice.models.billing import (  # noqa: E402
    LedgerFilters,
    _search_branches,
    _where,
    encode_cursor,
    ledger_query,
)
from tests import dbs  # noqa: E402

TARGET_MS = 100
ADMIN_EMAIL = "ada@acme.example"


def build(url: str, entries: int, orgs: int) -> None:
    """Create the schema and seed the demo data through the real `seed-demo` command."""
    app = create_app(bench_config(url))
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(
            args=["seed-demo", "--orgs", str(orgs), "--ledger-entries", str(entries)]
        )
        if result.exit_code != 0:
            raise SystemExit(result.output)
        print(
            f"seed-demo --orgs {orgs} --ledger-entries {entries:,}: "
            f"{time.perf_counter() - started:.0f} s"
        )
        with database.connection_context():
            if isinstance(database.obj, SqliteDatabase):
                database.execute_sql("ANALYZE")
            else:
                database.execute_sql("VACUUM ANALYZE ledger_entry")


def bench_config(url: str) -> dict:
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_URL": "console://",
        "TESTING": True,
    }


def median_ms(client, url: str, runs: int) -> tuple[float, float, float, int]:
    """(median, min, max) milliseconds of GET url, after one warm-up; and the status."""
    status = client.get(url).status_code
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        response.get_data()
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return statistics.median(times), min(times), max(times), status


def stream_csv(client, url: str) -> tuple[int, float, float]:
    """(rows, seconds, peak MiB) streaming the CSV without keeping it."""
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url)
    rows = 0
    for chunk in response.response:
        rows += chunk.count("\n") if isinstance(chunk, str) else chunk.count(b"\n")
    response.close()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows - 1, seconds, peak / 2**20


def explain(query) -> list[str]:
    sql, params = query.sql()
    if isinstance(database.obj, SqliteDatabase):
        rows = database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        return [row[-1] for row in rows]
    rows = database.execute_sql(f"EXPLAIN {sql}", params).fetchall()
    return [row[0] for row in rows]


def measure(url: str, runs: int) -> bool:
    app = create_app(bench_config(url))
    with app.app_context(), database.connection_context():
        org = Organization.get(Organization.name == "Acme Robotics")
        count = LedgerEntry.select().where(LedgerEntry.organization == org).count()
        total = LedgerEntry.select().count()
        everything = LedgerFilters(timezone=org.timezone)
        deep = ledger_query(org, everything).offset(count - 60).limit(1).get()
        sample = ledger_query(org, everything).where(LedgerEntry.kind == "call").offset(count // 2)
        sample = sample.limit(1).get()
        today = to_local(utcnow(), org.timezone).date()
        month_ago = today - timedelta(days=30)
        pages = [
            ("first page", "/settings/billing"),
            ("filtered page (30 days)", f"/settings/billing?from={month_ago}&to={today}"),
            ("search: call ID", f"/settings/billing?q={sample.call_id}"),
            ("search: agent ID", f"/settings/billing?q={sample.agent_id}"),
            ("search: call ID prefix", f"/settings/billing?q={sample.call_id[:9]}"),
            ("deep page (oldest 60)", f"/settings/billing?after={encode_cursor(deep)}"),
        ]
        print(f"\n{total:,} ledger entries; {org.name} has {count:,} ({org.timezone}).")
        print("\nQuery plans: the first page, then each branch of a search by call ID")
        for line in explain(ledger_query(org, everything).limit(51)):
            print("   ", line)
        searched = LedgerFilters(q=sample.call_id, timezone=org.timezone)
        base = _where(org, searched, search=False, by_organization=False)
        for branch in _search_branches(sample.call_id):
            query = LedgerEntry.select().where(*base, branch)
            query = query.order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
            for line in explain(query.limit(51)):
                print("   ", line)

    client = app.test_client()
    client.post("/login", data={"email": ADMIN_EMAIL, "password": DEMO_PASSWORD})
    print(f"\n{'page':<28}{'median ms':>10}{'min':>8}{'max':>8}  status")
    slow = False
    for label, page in pages:
        median, low, high, status = median_ms(client, page, runs)
        slow |= median > TARGET_MS or status != 200
        flag = "" if median <= TARGET_MS else f"  over {TARGET_MS} ms"
        print(f"{label:<28}{median:>10.1f}{low:>8.1f}{high:>8.1f}  {status}{flag}")
    rows, seconds, peak = stream_csv(client, "/settings/billing.csv")
    print(f"\nCSV of all {rows:,} rows: {seconds:.1f} s, peak Python memory {peak:.1f} MiB")
    quarter, _, quarter_peak = stream_csv(
        client, f"/settings/billing.csv?from={today - timedelta(days=30)}&to={today}"
    )
    print(f"CSV of {quarter:,} rows (30 days): peak Python memory {quarter_peak:.1f} MiB")
    print("(about the same peak for both sizes: the export streams in constant memory)")
    return not slow


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    parser.add_argument("--ledger-entries", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=81)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        print("== SQLite ==")
        build(url, args.ledger_entries, args.orgs)
        ok &= measure(url, args.runs)
    if args.postgres:
        url = dbs.create_postgres_database(args.postgres)
        try:
            print("\n== PostgreSQL ==")
            build(url, args.ledger_entries, args.orgs)
            ok &= measure(url, args.runs)
        finally:
            if not database.is_closed():
                database.close()
            if hasattr(database.obj, "close_all"):
                database.obj.close_all()
            dbs.drop_postgres_database(url)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
