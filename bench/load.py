"""Load test: gunicorn on PostgreSQL with demo data, driven by wrk from a second process.

    .venv/bin/python bench/load.py [--seconds 15] [--workers 4] [--connections 8]

Creates a fresh PostgreSQL database (dropped at the end), seeds demo data, starts gunicorn on
127.0.0.1, and drives the main pages and the API concurrently with wrk (Debian's `wrk`,
installed with apt-get when missing) for a bounded time, while call records are imported
(charges) in parallel. Reports requests per second and latency percentiles per page, and
fails on any 5xx or any lost write: every organization's balance must equal the sum of its
ledger, and every API write must have its audit event. Only 127.0.0.1 is contacted.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import dbs  # noqa: E402 - after the path set-up

BIN = Path(sys.executable).parent
DEMO_PASSWORD = "intrlume-demo-2026"  # noqa: S105 - the published demo password
SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env, *args, **kwargs):
    return subprocess.run(
        [str(BIN / "flask"), "--app", "backoffice", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk")


def wait_until_up(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/login", timeout=2).read()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def session_cookie(base: str, login_path: str, email: str) -> str:
    """Log in like a browser (CSRF token included) and return the session cookie."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}{login_path}").read().decode()  # noqa: S310
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": token, "email": email, "password": DEMO_PASSWORD}).encode()
    opener.open(f"{base}{login_path}", data=body)  # noqa: S310
    return next(c.value for c in jar if c.name == "session")


def in_app(env, imports: str, body: str) -> list[str]:
    """Run body inside the app (context and connection) in a fresh process; what it printed."""
    code = (
        "from backoffice import create_app\n"
        "from backoffice.extensions import database\n"
        f"{imports}\n"
        "app = create_app()\n"
        "with app.app_context(), database.connection_context():\n" + textwrap.indent(body, "    ")
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.split()


FIRST_ORG = "org = Organization.select().order_by(Organization.id).first()\n"
FIRST_AGENT = "agent = Agent.select().where(Agent.organization == org).first()\n"


def make_api_key(env) -> tuple[str, str]:
    """An API key for the first demo organization, and one of its agents' public ids."""
    secret, agent_id = in_app(
        env,
        "from backoffice.models import Agent, Organization\n"
        "from backoffice.services.api_keys import generate_key\n"
        "from backoffice.services.base import Actor",
        FIRST_ORG
        + "_, secret = generate_key(Actor.system('bench'), org, None)\n"
        + FIRST_AGENT
        + "print(secret, agent.public_id)\n",
    )[-2:]
    return secret, agent_id


LUA = """
wrk.method = "{method}"
wrk.headers["Content-Type"] = "application/json"
{headers}
{body}
"""


def check_page(url, method, headers, body) -> None:
    """One request before the load: the page must answer 2xx itself (not a redirect to log in)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=body.encode() if body else None,
        method=method,
        headers={**headers, "Content-Type": "application/json"},
    )
    try:
        status = urllib.request.build_opener(NoRedirect).open(request, timeout=10).status
    except urllib.error.HTTPError as exc:
        status = exc.code
    if not 200 <= status < 300:
        raise SystemExit(f"{method} {url} answered {status} before the load started")


def wrk_run(wrk, url, seconds, connections, method="GET", headers=None, body=None):
    header_lines = "\n".join(
        f'wrk.headers["{k}"] = {json.dumps(v)}' for k, v in (headers or {}).items()
    )
    body_line = f"wrk.body = {json.dumps(body)}" if body else ""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    script.write(LUA.format(method=method, headers=header_lines, body=body_line))
    script.close()
    return subprocess.Popen(
        [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def parse_wrk(output: str) -> dict:
    def number(pattern, default="0"):
        match = re.search(pattern, output)
        return match.group(1) if match else default

    def ms(value):
        amount, unit = float(value[:-2] if value.endswith(("ms", "us")) else value[:-1]), value
        if unit.endswith("us"):
            return amount / 1000
        if unit.endswith("ms"):
            return amount
        return amount * 1000

    return {
        "requests": int(number(r"(\d+) requests in")),
        "rps": float(number(r"Requests/sec:\s+([\d.]+)")),
        "p50": ms(number(r"50%\s+([\d.]+\w+)", "0ms")),
        "p90": ms(number(r"90%\s+([\d.]+\w+)", "0ms")),
        "p99": ms(number(r"99%\s+([\d.]+\w+)", "0ms")),
        "non2xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "errors": int(number(r"Socket errors: .*?timeout (\d+)")),
    }


def call_export(env, rows: int, offset: int) -> Path:
    """A telephony export of `rows` calls for the demo's first organization."""
    org_id, agent_id = in_app(
        env,
        "from backoffice.models import Agent, Organization",
        FIRST_ORG + FIRST_AGENT + "print(org.public_id, agent.public_id)\n",
    )[-2:]
    path = Path(tempfile.mkstemp(suffix=".csv")[1])
    lines = [
        "call_id,agent_id,organization_id,started_at,duration_seconds,direction,"
        "from_number,to_number"
    ]
    for n in range(rows):
        lines.append(
            f"call_load{offset + n:08d},{agent_id},{org_id},2026-11-20T10:00:00+00:00,"
            f"{30 + n % 300},outbound,+14155550100,+14155550199"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def check_writes(env, patches: int, in_flight: int) -> list[str]:
    """Problems with the data after the run: balances off, or API writes without their event."""
    bad, updates = map(
        int,
        in_app(
            env,
            "from peewee import fn\n"
            "from backoffice.models import AuditEvent, LedgerEntry, Organization",
            "sums = dict(LedgerEntry.select(LedgerEntry.organization, fn.SUM(LedgerEntry.credits))"
            ".group_by(LedgerEntry.organization).tuples())\n"
            "bad = [o.public_id for o in Organization.select() if o.credit_balance != "
            "(sums.get(o.id) or 0)]\n"
            "updates = AuditEvent.select().where(AuditEvent.action == 'agent.updated').count()\n"
            "print(len(bad), updates)\n",
        )[-2:],
    )
    problems = []
    if bad:
        problems.append(f"{bad} organizations' balance differs from the sum of their ledger")
    # wrk stops mid-request on up to one request per connection; those may still commit.
    if not patches <= updates <= patches + in_flight:
        problems.append(f"{patches} API writes answered 2xx but {updates} audit events exist")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--ledger-entries", type=int, default=100_000)
    args = parser.parse_args()

    wrk = ensure_wrk()
    database_url = dbs.create_postgres_database(SERVER)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(16),
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "API_RATE_LIMIT": "1000000 per minute",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "MAIL_URL": "console://",
    }
    gunicorn = None
    try:
        flask(env, "db", "upgrade")
        started = time.perf_counter()
        flask(
            env, "seed-demo", "--orgs", str(args.orgs), "--ledger-entries", str(args.ledger_entries)
        )
        print(
            f"seeded {args.orgs} orgs, {args.ledger_entries} ledger entries "
            f"in {time.perf_counter() - started:.1f}s"
        )
        secret, agent_id = make_api_key(env)
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "backoffice:create_app()",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_until_up(base)
        customer = {"Cookie": f"session={session_cookie(base, '/login', 'ada@acme.example')}"}
        staff = {
            "Cookie": f"session={session_cookie(base, '/admin/login', 'support@intrlume.tech')}"
        }
        api = {"Authorization": f"Bearer {secret}"}
        pages = {
            "GET /login": (f"{base}/login", "GET", {}, None),
            "GET /settings/organization": (f"{base}/settings/organization", "GET", customer, None),
            "GET /settings/members": (f"{base}/settings/members", "GET", customer, None),
            "GET /settings/billing": (f"{base}/settings/billing", "GET", customer, None),
            "GET /admin/ (queue)": (f"{base}/admin/", "GET", staff, None),
            "GET /api/v1/organization": (f"{base}/api/v1/organization", "GET", api, None),
            "GET /api/v1/agents": (f"{base}/api/v1/agents", "GET", api, None),
            "PATCH /api/v1/agents/<id>": (
                f"{base}/api/v1/agents/{agent_id}",
                "PATCH",
                api,
                json.dumps({"name": "Renamed under load"}),
            ),
        }
        for url, method, headers, body in pages.values():
            check_page(url, method, headers, body)
        exports = [call_export(env, 2_000, n * 2_000) for n in range(2)]
        runs = {
            name: wrk_run(wrk, url, args.seconds, args.connections, method, headers, body)
            for name, (url, method, headers, body) in pages.items()
        }
        imports = [
            subprocess.Popen(
                [str(BIN / "flask"), "--app", "backoffice", "billing", "import-calls", str(path)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for path in exports
        ]
        results = {name: parse_wrk(proc.communicate()[0]) for name, proc in runs.items()}
        import_status = [proc.wait() for proc in imports]
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)

    print(f"\n{'page':32} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, r in results.items():
        print(
            f"{name:32} {r['rps']:8.1f} {r['p50']:8.1f} {r['p90']:8.1f} {r['p99']:8.1f} "
            f"{r['non2xx']:8d}"
        )
    problems = [
        f"{name}: {r['non2xx']} non-2xx/3xx answers" for name, r in results.items() if r["non2xx"]
    ]
    problems += [f"a call import exited {s}" for s in import_status if s]
    patches = results["PATCH /api/v1/agents/<id>"]["requests"]
    problems += check_writes(env, patches, args.connections)
    dbs.drop_postgres_database(database_url)
    for path in exports:
        path.unlink()
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    print("\nzero errors, zero lost writes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
