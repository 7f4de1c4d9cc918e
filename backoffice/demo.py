"""Realistic demo data for every part of the domain, inserted in bulk."""

import random
from contextlib import contextmanager
from datetime import timedelta

import click
from peewee import DateTimeField, SqliteDatabase

from .clock import utcnow
from .extensions import database
from .models import (
    Agent,
    ApiKey,
    AuditEvent,
    Call,
    Invitation,
    LedgerEntry,
    Membership,
    Organization,
    PhoneNumber,
    Plan,
    StaffUser,
    SupportRequest,
    UsageCounter,
    User,
)
from .models.fields import JSONField, new_public_id, random_base62
from .models.organizations import USAGE_METRICS, new_web_agent_key
from .services.ledger import add_to_summaries, pause_summary_trigger
from .services.passwords import hash_password
from .services.periods import add_months

DEMO_PASSWORD = "intrlume-demo-2026"  # noqa: S105  # nosec B105 - published demo credentials
DEMO_LOGINS = {
    "password": DEMO_PASSWORD,
    "accounts": [
        ("Customer admin", "ada@acme.example"),
        ("Customer member", "grace@acme.example"),
        ("Admin of two orgs", "linus@globex.example"),
        ("Staff (support)", "support@intrlume.tech"),
        ("Staff (superuser)", "root@intrlume.tech"),
    ],
}

PLANS = [
    # code, name, agents, calls, kbs, campaigns, leads, integrations, credits, price
    ("starter", "Starter", 3, 1_000, 2, 5, 1_000, 2, 5_000, "49.00"),
    ("growth", "Growth", 10, 10_000, 10, 25, 25_000, 10, 50_000, "299.00"),
    ("scale", "Scale", 50, 100_000, 50, 200, 250_000, 50, 500_000, "1499.00"),
    ("enterprise", "Enterprise", 500, 1_000_000, 500, 2_000, 5_000_000, 500, 5_000_000, "9999.00"),
]
COMPANY_WORDS = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Vandelay",
    "Pied",
    "Piper",
    "Aperture",
    "Oscorp",
    "Massive",
    "Dynamic",
    "Monarch",
    "Gringotts",
    "Nakatomi",
    "Virtucon",
]
SUFFIXES = ("Robotics", "Health", "Logistics", "Insurance", "Realty", "Dental", "Motors", "Labs")
FIRST = [
    "Ada",
    "Grace",
    "Linus",
    "Alan",
    "Barbara",
    "Edsger",
    "Margaret",
    "Ken",
    "Dennis",
    "Radia",
    "Frances",
    "Tim",
]
LAST = [
    "Lovelace",
    "Hopper",
    "Torvalds",
    "Turing",
    "Liskov",
    "Dijkstra",
    "Hamilton",
    "Thompson",
    "Ritchie",
    "Perlman",
]
LOCALES = [
    ("US", "USD", "America/New_York"),
    ("GB", "GBP", "Europe/London"),
    ("DE", "EUR", "Europe/Berlin"),
    ("FR", "EUR", "Europe/Paris"),
    ("AU", "AUD", "Australia/Sydney"),
    ("CA", "CAD", "America/Toronto"),
    ("JP", "JPY", "Asia/Tokyo"),
    ("BR", "BRL", "America/Sao_Paulo"),
]
REQUEST_SAMPLES = [
    ("plan_change", "Please move us to the Scale plan from next month.", {"plan": "scale"}),
    ("plan_renewal", "Our period ends soon; please renew the plan.", None),
    ("number_add", "We need one more outbound number for the sales team.", None),
    ("number_remove", "Please remove our inbound number; the campaign has ended.", None),
    ("enable_embedding", "We'd like to put the web agent on our website.", None),
    ("enable_api_access", "Our CRM integration needs API access.", None),
    ("org_details", "Our billing email changed to finance@ of our domain.", None),
    ("other", "Can you send us last quarter's invoices?", None),
]
BATCH = 5_000


def _bulk(model, fields, rows, bar=None):
    """Insert rows with the driver's executemany: peewee's per-value SQL building is too slow
    for a million rows."""
    if not rows:
        return
    # Raw inserts skip peewee's Python-side defaults, so add them for the columns not given.
    given = {f.name for f in fields}  # by name: a peewee Field's == builds SQL
    defaults = [
        f
        for f in model._meta.sorted_fields
        if f.name not in given and f.default is not None and not f.primary_key
    ]
    if defaults:
        fields = [*fields, *defaults]
        rows = [
            (*row, *(f.default() if callable(f.default) else f.default for f in defaults))
            for row in rows
        ]
    sqlite = isinstance(database.obj, SqliteDatabase)
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([database.obj.param] * len(fields))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'  # noqa: S608  # nosec B608 - names come from the models
    converters = [(i, c) for i, c in enumerate(_converter(f, sqlite) for f in fields) if c]
    cursor = database.cursor()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        if converters:
            chunk = [list(row) for row in chunk]
            for row in chunk:
                for index, convert in converters:
                    row[index] = convert(row[index])
        cursor.executemany(sql, chunk)
        if bar is not None:
            bar.update(len(chunk))


@contextmanager
def _bulk_load_settings():
    """On SQLite, skip per-commit syncing and widen the page cache while seeding."""
    if not isinstance(database.obj, SqliteDatabase):
        yield
        return
    database.execute_sql("PRAGMA synchronous = OFF")
    database.execute_sql("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        database.execute_sql("PRAGMA synchronous = NORMAL")
        database.execute_sql("PRAGMA cache_size = -65536")


def _converter(field, sqlite):
    """How a value must change for the driver, or None when it goes in as it is."""
    if isinstance(field, JSONField):
        return field.db_value
    if sqlite and isinstance(field, DateTimeField):
        return lambda v: None if v is None else v.isoformat(" ")
    return None


def seed(orgs: int = 12, ledger_entries: int = 20_000, rng: random.Random | None = None) -> None:
    """Insert demo data; the first organizations are the ones the demo logins belong to."""
    rng = rng or random.Random(2026)  # noqa: S311  # nosec B311 - demo data, not security
    now = utcnow().replace(microsecond=0)
    password_hash = hash_password(DEMO_PASSWORD)  # one hash shared: argon2 per row would take hours
    with _bulk_load_settings(), database.atomic():
        plans = [
            Plan.create(
                code=c,
                name=n,
                max_agents=a,
                max_calls_per_period=calls,
                max_knowledge_bases=k,
                max_campaigns=camp,
                max_leads=leads,
                max_integrations=i,
                included_credits=cr,
                price=p,
            )
            for c, n, a, calls, k, camp, leads, i, cr, p in PLANS
        ]
        StaffUser.create(
            email="support@intrlume.tech",
            name="Sam Support",
            role="support",
            password_hash=password_hash,
        )
        StaffUser.create(
            email="root@intrlume.tech",
            name="Rita Root",
            role="superuser",
            password_hash=password_hash,
        )

        org_rows = []
        for index in range(orgs):
            word = COMPANY_WORDS[index % len(COMPANY_WORDS)]
            suffix = SUFFIXES[(index // len(COMPANY_WORDS)) % len(SUFFIXES)]
            name = f"{word} {suffix}" if index >= 2 else ("Acme Robotics", "Globex Health")[index]
            if index >= len(COMPANY_WORDS) * len(SUFFIXES):
                name = f"{name} {index}"
            country, currency, timezone = LOCALES[index % len(LOCALES)]
            # Acme (the demo admin's organization) is on Growth; the rest spread over the plans.
            plan = plans[1] if index == 0 else plans[0 if index % 5 == 4 else (index % 3)]
            start = now - timedelta(days=rng.randint(1, 27))
            org_rows.append(
                (
                    new_public_id("org"),
                    name,
                    f"billing@{word.lower()}{index}.example",
                    now - timedelta(days=rng.randint(30, 900)),
                    country,
                    currency,
                    timezone,
                    plan.id,
                    start,
                    add_months(start, 1),
                    0,
                    index % 2 == 0 or index == 1,
                    index % 3 != 2,
                    new_web_agent_key(),
                    "https://www.acme.example\nhttps://*.acme.example" if index == 0 else "",
                    "suspended" if index % 47 == 46 else "active",
                )
            )
        _bulk(
            Organization,
            [
                Organization.public_id,
                Organization.name,
                Organization.billing_email,
                Organization.created_at,
                Organization.country,
                Organization.currency,
                Organization.timezone,
                Organization.plan,
                Organization.period_start,
                Organization.period_end,
                Organization.credit_balance,
                Organization.embedding_enabled,
                Organization.api_access_enabled,
                Organization.public_key,
                Organization.allowed_origins,
                Organization.status,
            ],
            org_rows,
        )
        org_list = list(Organization.select().order_by(Organization.id))
        _seed_people(org_list, password_hash, now, rng)
        agents_by_org = _seed_agents(org_list, now, rng)
        _seed_numbers(org_list, now, rng)
        _seed_ledger(org_list, agents_by_org, ledger_entries, now, rng)
        _seed_requests(org_list, now, rng)


def _seed_people(org_list, password_hash, now, rng):
    user_rows, member_specs = [], []
    fixed = {
        0: [
            ("ada@acme.example", "Ada", "Lovelace", "admin"),
            ("grace@acme.example", "Grace", "Hopper", "member"),
            ("linus@globex.example", "Linus", "Torvalds", "member"),
        ],
        1: [
            ("linus@globex.example", None, None, "admin"),
            ("margaret@globex.example", "Margaret", "Hamilton", "member"),
        ],
    }
    seen = set()
    for index, org in enumerate(org_list):
        people = fixed.get(index) or [
            (f"{f.lower()}{i}.{index}@{org.billing_email.split('@')[1]}", f, LAST[i % len(LAST)], r)
            for i, (f, r) in enumerate(
                [(rng.choice(FIRST), "admin"), (rng.choice(FIRST), "member")]
            )
        ]
        for email, first, last, role in people:
            if email not in seen:
                seen.add(email)
                user_rows.append(
                    (
                        email,
                        first,
                        last,
                        "+14155550" + f"{len(seen) % 1000:03d}",
                        password_hash,
                        random_base62(16),
                        now - timedelta(days=20),
                    )
                )
            member_specs.append((email, org.id, role))
    _bulk(
        User,
        [
            User.email,
            User.first_name,
            User.last_name,
            User.phone,
            User.password_hash,
            User.session_token,
            User.created_at,
        ],
        user_rows,
    )
    ids = dict(User.select(User.email, User.id).tuples())
    _bulk(
        Membership,
        [Membership.user, Membership.organization, Membership.role],
        [(ids[e], o, r) for e, o, r in member_specs],
    )
    invitations = [
        (
            org.id,
            f"new.hire{index}@{org.billing_email.split('@')[1]}",
            "member",
            "Demo data",
            random_base62(40),
            "pending",
            now - timedelta(days=1),
            now + timedelta(days=6),
        )
        for index, org in enumerate(org_list[: max(3, len(org_list) // 4)])
    ]
    _bulk(
        Invitation,
        [
            Invitation.organization,
            Invitation.email,
            Invitation.role,
            Invitation.invited_by_label,
            Invitation.token_hash,
            Invitation.state,
            Invitation.created_at,
            Invitation.expires_at,
        ],
        invitations,
    )
    limits = {plan.id: plan for plan in Plan.select()}
    # Usage below each plan's limit, some of it close to the limit so the warning shows.
    counters = [
        (org.id, metric, rng.randint(0, limits[org.plan_id].limit_for(metric)), now)
        for org in org_list
        for metric in USAGE_METRICS
    ]
    _bulk(
        UsageCounter,
        [
            UsageCounter.organization,
            UsageCounter.metric,
            UsageCounter.value,
            UsageCounter.updated_at,
        ],
        counters,
    )
    key_org = org_list[0]
    ApiKey.create(
        organization=key_org,
        key_hash=random_base62(64),
        prefix="sk_live_Demo",
        last_four="9f3a",
        created_by=ids["ada@acme.example"],
        created_at=now - timedelta(days=40),
        revoked_at=now - timedelta(days=10),
    )


def _seed_agents(org_list, now, rng):
    rows = []
    limits = {plan.id: plan for plan in Plan.select()}
    for org in org_list:
        most = min(limits[org.plan_id].max_agents, 3 if len(org_list) > 100 else 5)
        for n in range(rng.randint(1, most)):
            rows.append(
                (
                    new_public_id("agent"),
                    org.id,
                    f"{rng.choice(FIRST)} ({n + 1})",
                    org.country,
                    org.currency,
                    org.timezone,
                    now - timedelta(days=60),
                    now,
                )
            )
    _bulk(
        Agent,
        [
            Agent.public_id,
            Agent.organization,
            Agent.name,
            Agent.country,
            Agent.currency,
            Agent.timezone,
            Agent.created_at,
            Agent.updated_at,
        ],
        rows,
    )
    agents_by_org: dict[int, list[tuple[int, str]]] = {}
    for agent_id, public_id, org_id in Agent.select(
        Agent.id, Agent.public_id, Agent.organization
    ).tuples():
        agents_by_org.setdefault(org_id, []).append((agent_id, public_id))
    return agents_by_org


def _seed_numbers(org_list, now, rng):
    rows, serial = [], 0
    for org in org_list[:2000]:
        for direction in ("inbound", "outbound"):
            serial += 1
            rows.append(
                (
                    f"+1415{serial:07d}",
                    direction,
                    rng.choice((300, 500, 800)),
                    org.id,
                    now - timedelta(days=45),
                )
            )
    for _ in range(25):
        serial += 1
        rows.append((f"+1415{serial:07d}", rng.choice(("inbound", "outbound")), 500, None, None))
    _bulk(
        PhoneNumber,
        [
            PhoneNumber.number,
            PhoneNumber.direction,
            PhoneNumber.monthly_cost,
            PhoneNumber.organization,
            PhoneNumber.assigned_at,
        ],
        rows,
    )


def _seed_ledger(org_list, agents_by_org, total, now, rng):
    """Calls and charges, with each organization's running balance kept exact."""
    weights = [20.0 if i == 0 else 1.0 for i in range(len(org_list))]
    counts = [0] * len(org_list)
    for index in rng.choices(range(len(org_list)), weights=weights, k=total):
        counts[index] += 1
    ledger_fields = [
        LedgerEntry.organization,
        LedgerEntry.created_at,
        LedgerEntry.kind,
        LedgerEntry.call_id,
        LedgerEntry.agent_id,
        LedgerEntry.duration_seconds,
        LedgerEntry.credits,
        LedgerEntry.balance_after,
        LedgerEntry.description,
        LedgerEntry.idempotency_key,
    ]
    call_fields = [
        Call.public_id,
        Call.organization,
        Call.agent,
        Call.started_at,
        Call.duration_seconds,
        Call.direction,
        Call.from_number,
        Call.to_number,
    ]
    balances = []
    # One summary upsert per batch instead of the trigger's one per row (see migration 0005).
    pause_summary_trigger(True)
    call_run, call_serial = f"{rng.getrandbits(48):012x}", 0
    with click.progressbar(length=total, label="Ledger entries", file=None) as bar:
        ledger_rows, call_rows = [], []
        for org, count in zip(org_list, counts, strict=True):
            agents = agents_by_org.get(org.id) or []
            balance, when = 0, now - timedelta(days=120)
            step = timedelta(seconds=max(1, int(120 * 86400 / max(count, 1))))
            for n in range(count):
                when += step
                if n == 0 or not agents or n % 500 == 0:
                    credits, kind = 50_000, "credit_grant" if n == 0 else "plan_renewal"
                    ledger_rows.append(
                        (
                            org.id,
                            when,
                            kind,
                            None,
                            None,
                            None,
                            credits,
                            balance + credits,
                            "Included plan credits",
                            f"{kind}:{org.public_id}:{n}",
                        )
                    )
                else:
                    agent_id, agent_public = rng.choice(agents)
                    duration = rng.randint(5, 900)
                    credits = -10 * (-(-duration // 60))
                    # Ascending ids: each unique index then grows at its end instead of
                    # splitting pages all over, which is most of a large seed's time.
                    call_serial += 1
                    call_id = f"call_{call_run}{call_serial:012d}"
                    call_rows.append(
                        (
                            call_id,
                            org.id,
                            agent_id,
                            when,
                            duration,
                            rng.choice(("inbound", "outbound")),
                            "+14155550100",
                            "+14155550199",
                        )
                    )
                    ledger_rows.append(
                        (
                            org.id,
                            when,
                            "call",
                            call_id,
                            agent_public,
                            duration,
                            credits,
                            balance + credits,
                            "Call",
                            f"call:{call_id}",
                        )
                    )
                balance += ledger_rows[-1][6]
                if len(ledger_rows) >= 20_000:
                    _bulk(Call, call_fields, call_rows)
                    _bulk(LedgerEntry, ledger_fields, ledger_rows, bar)
                    add_to_summaries(ledger_rows)
                    ledger_rows, call_rows = [], []
            balances.append((org.id, balance))
        _bulk(Call, call_fields, call_rows)
        _bulk(LedgerEntry, ledger_fields, ledger_rows, bar)
        add_to_summaries(ledger_rows)
    pause_summary_trigger(False)
    for org_id, balance in balances:
        if balance:
            Organization.update(credit_balance=balance).where(Organization.id == org_id).execute()


def _seed_requests(org_list, now, rng):
    admins = dict(
        Membership.select(Membership.organization, Membership.user)
        .where(Membership.role == "admin")
        .tuples()
    )
    rows, audit_rows = [], []
    for index, org in enumerate(org_list[:200]):
        kind, details, payload = REQUEST_SAMPLES[index % len(REQUEST_SAMPLES)]
        created = now - timedelta(hours=rng.randint(1, 96))
        rows.append(
            (
                new_public_id("req"),
                org.id,
                admins.get(org.id),
                kind,
                details,
                payload,
                "settings" if index % 3 else "email",
                "open",
                created,
                created,
            )
        )
        audit_rows.append(
            (
                created,
                "user",
                admins.get(org.id),
                "demo",
                org.id,
                "request.filed",
                "supportrequest",
                kind,
            )
        )
    for org in org_list:
        audit_rows.append(
            (
                org.created_at,
                "system",
                None,
                "seed-demo",
                org.id,
                "organization.created",
                "organization",
                org.public_id,
            )
        )
    _bulk(
        SupportRequest,
        [
            SupportRequest.public_id,
            SupportRequest.organization,
            SupportRequest.requested_by,
            SupportRequest.kind,
            SupportRequest.details,
            SupportRequest.payload,
            SupportRequest.source,
            SupportRequest.state,
            SupportRequest.created_at,
            SupportRequest.updated_at,
        ],
        rows,
    )
    _bulk(
        AuditEvent,
        [
            AuditEvent.created_at,
            AuditEvent.actor_type,
            AuditEvent.actor_id,
            AuditEvent.actor_label,
            AuditEvent.organization,
            AuditEvent.action,
            AuditEvent.target_type,
            AuditEvent.target_id,
        ],
        audit_rows,
    )
