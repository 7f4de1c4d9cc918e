"""Console list pages at scale: seed-demo --orgs 10000 --ledger-entries 1000000, then time them.

    .venv/bin/python bench/console.py [--orgs 10000] [--ledger-entries 1000000] [--runs 15]
                                      [--keep PATH]

Builds the demo data in a temporary SQLite file (or reuses PATH when it already holds it),
signs in as the demo support account through Flask's test client, and times each list page
(first page, a search and a filter) as the median and worst of --runs requests, with the
number of SQL statements each made. Target: well under 200 ms each. Only files are touched.
"""

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backoffice import create_app  # noqa: E402 - after the path set-up
from backoffice.db import upgrade  # noqa: E402
from backoffice.demo import DEMO_PASSWORD, seed  # noqa: E402
from backoffice.extensions import database  # noqa: E402
from backoffice.models import Call, Organization, SupportRequest  # noqa: E402

TARGET_MS = 200


class StatementCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def build(path: Path, orgs: int, ledger_entries: int, app) -> None:
    with app.app_context():
        upgrade()
        with database.connection_context():
            if Organization.select().exists():
                print(f"Reusing the data in {path}")
                return
            started = time.perf_counter()
            seed(orgs=orgs, ledger_entries=ledger_entries)
            print(
                f"Seeded {orgs:,} orgs and {ledger_entries:,} ledger entries "
                f"in {time.perf_counter() - started:.0f} s"
            )


def pages(app) -> list[tuple[str, str]]:
    """(label, URL) of every list page to time, with IDs taken from the data."""
    with app.app_context(), database.connection_context():
        org = Organization.select().order_by(Organization.id).first()
        call = Call.select().order_by(Call.id.desc()).first()
        request = SupportRequest.select().first()
    return [
        ("landing (open queue)", "/admin/"),
        ("requests", "/admin/requests/"),
        ("requests, kind filter", "/admin/requests/?flt0_0=number_add"),
        ("requests, org search", f"/admin/requests/?search={org.public_id}"),
        ("request page", f"/admin/requests/{request.public_id}/"),
        ("organizations", "/admin/organizations/"),
        ("organizations, search by name", "/admin/organizations/?search=robotics"),
        ("organizations, search by member email", "/admin/organizations/?search=ada@acme"),
        ("organizations, plan filter", "/admin/organizations/?flt0_0=2"),
        ("organization page", f"/admin/organizations/{org.public_id}/"),
        ("ledger", "/admin/ledger/"),
        ("ledger, search by call ID", f"/admin/ledger/?search={call.public_id}"),
        ("ledger, search by org ID", f"/admin/ledger/?search={org.public_id}"),
        ("audit log", "/admin/audit/"),
        ("audit log, org filter", f"/admin/audit/?flt0_0={org.public_id}"),
        ("users", "/admin/users/"),
        ("numbers", "/admin/numbers/"),
        ("agents", "/admin/agents/"),
        ("calls", "/admin/calls/"),
    ]


def time_page(client, url: str, runs: int) -> tuple[float, float, int]:
    counter = StatementCounter()
    logger = logging.getLogger("peewee")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        response = client.get(url)  # warm-up, and the statement count of one request
        statements = counter.count
    finally:
        logger.removeHandler(counter)
        logger.setLevel(logging.WARNING)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings), statements


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--ledger-entries", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="SQLite file to build once and reuse")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.sqlite3"
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{path}",
                "SECRET_KEY": "bench-only-secret",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "MAIL_URL": "console://",
            }
        )
        build(path, args.orgs, args.ledger_entries, app)
        client = app.test_client()
        response = client.post(
            "/admin/login", data={"email": "support@intrlume.tech", "password": DEMO_PASSWORD}
        )
        if response.status_code != 302:
            raise SystemExit("could not sign in as support@intrlume.tech")

        print(f"\n{'page':<40} {'median ms':>10} {'worst ms':>10} {'queries':>8}")
        slow = []
        for label, url in pages(app):
            median, worst, statements = time_page(client, url, args.runs)
            print(f"{label:<40} {median:>10.1f} {worst:>10.1f} {statements:>8}")
            if median >= TARGET_MS:
                slow.append(label)
        if slow:
            print(f"\nOver {TARGET_MS} ms: {', '.join(slow)}")
            return 1
        print(f"\nEvery page's median is under {TARGET_MS} ms.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
