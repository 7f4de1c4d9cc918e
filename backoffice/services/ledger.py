"""Credits: the only way a balance moves is an entry appended to the ledger.

Every entry has a unique idempotency key (the call ID for calls, number and month for
rentals, …); posting a key again changes nothing and says so. Each entry stores the balance
right after it, in posting order; the organization's balance always equals the sum of its
entries because both are written in the same transaction, under the organization's row lock.
"""

import csv
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from flask import current_app
from peewee import IntegrityError, SqliteDatabase

from .. import mail
from ..clock import to_utc_naive, utcnow
from ..db import locked
from ..extensions import database
from ..models import Agent, Call, LedgerEntry, Membership, Organization, PhoneNumber, User
from ..models.agents import DIRECTIONS
from ..models.people import ROLE_ADMIN
from ..urls import public_url
from .base import Actor, audit, audit_many, operation
from .errors import Forbidden, ServiceError, ValidationFailed
from .periods import add_months, start_period

REASON_MAX = 500
E164 = re.compile(r"^\+[1-9]\d{1,14}$")
CALL_ID_MAX = 64
MAX_CALL_SECONDS = 7 * 86_400  # a week: anything longer is a broken record, not a call
IMPORT_FIELDS = (
    "call_id",
    "agent_id",
    "organization_id",
    "started_at",
    "duration_seconds",
    "direction",
    "from_number",
    "to_number",
)
IMPORT_BATCH = 20_000
LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class LedgerResult:
    """What posting an entry did: the entry, and whether it is new or its key was already used."""

    entry: LedgerEntry
    created: bool

    @property
    def duplicate(self) -> bool:
        return not self.created

    @property
    def message(self) -> str:
        if self.created:
            return (
                f"Recorded {self.entry.credits:+,} credits; balance {self.entry.balance_after:,}."
            )
        return f"Already recorded ({self.entry.idempotency_key}); nothing changed."


# Posting one entry


def _add_to_balance(organization_id: int, credits: int) -> int:
    """Add credits to the balance and return the new one; the UPDATE takes the row lock
    (PostgreSQL) or the write lock (SQLite), so concurrent postings queue up here."""
    Organization.update(credit_balance=Organization.credit_balance + credits).where(
        Organization.id == organization_id
    ).execute()
    return (
        Organization.select(Organization.credit_balance)
        .where(Organization.id == organization_id)
        .scalar()
    )


def _post(
    actor: Actor,
    organization: Organization,
    *,
    kind: str,
    credits: int,
    key: str,
    action: str,
    description: str = "",
    created_at: datetime | None = None,
    call_id: str | None = None,
    agent_id: str | None = None,
    phone_number: str | None = None,
    duration_seconds: int | None = None,
    audit_after: dict | None = None,
) -> LedgerResult:
    """Append one entry, move the balance, check the low-balance rule and write the audit event."""
    existing = LedgerEntry.get_or_none(LedgerEntry.idempotency_key == key)
    if existing is not None:
        return LedgerResult(existing, created=False)
    try:
        # A savepoint: when a concurrent posting of the same key wins the race, the balance
        # change is undone with the failed insert and the caller hears "already recorded".
        with database.atomic():
            balance = _add_to_balance(organization.id, credits)
            entry = LedgerEntry.create(
                organization=organization.id,
                created_at=created_at or utcnow(),
                kind=kind,
                call_id=call_id,
                agent_id=agent_id,
                phone_number=phone_number,
                duration_seconds=duration_seconds,
                credits=credits,
                balance_after=balance,
                description=description[:REASON_MAX],
                idempotency_key=key,
            )
    except IntegrityError:
        existing = LedgerEntry.get_or_none(LedgerEntry.idempotency_key == key)
        if existing is None:
            raise
        return LedgerResult(existing, created=False)
    organization.credit_balance = balance
    _check_low_balance(organization.id, balance, charged=credits < 0)
    audit(
        actor,
        action,
        organization,
        entry,
        after={"kind": kind, "credits": credits, "balance_after": balance, **(audit_after or {})},
    )
    return LedgerResult(entry, created=True)


def _check_low_balance(organization_id: int, balance: int, *, charged: bool) -> None:
    """Mail the admins once when a charge takes the balance under the threshold; re-arm the
    mail when the balance is back at or above it."""
    threshold = current_app.config["LOW_BALANCE_THRESHOLD"]
    this_org = Organization.id == organization_id
    if balance >= threshold:
        Organization.update(low_balance_notified_at=None).where(
            this_org, Organization.low_balance_notified_at.is_null(False)
        ).execute()
        return
    if not charged:
        return
    # Claiming the flag with a conditional UPDATE makes the mail go out once, even when
    # charges race each other.
    claimed = (
        Organization.update(low_balance_notified_at=utcnow())
        .where(this_org, Organization.low_balance_notified_at.is_null())
        .execute()
    )
    if claimed:
        organization = Organization.get_by_id(organization_id)
        for admin in org_admins(organization):
            mail.send(
                admin.email,
                "low_balance",
                organization=organization,
                balance=balance,
                threshold=threshold,
                link=public_url("settings.billing"),
            )


def org_admins(organization: Organization) -> list[User]:
    return list(
        User.select()
        .join(Membership)
        .where(
            Membership.organization == organization,
            Membership.role == ROLE_ADMIN,
            User.is_active == True,  # noqa: E712 - peewee builds SQL from ==
        )
        .order_by(User.email)
    )


def is_low_balance(organization: Organization) -> bool:
    """Whether the balance is under the configured threshold (the Settings banner shows)."""
    return organization.credit_balance < current_app.config["LOW_BALANCE_THRESHOLD"]


# Calls


def call_credits(duration_seconds: int, pricing: tuple[int, bool] | None = None) -> int:
    """The credits a call of this length costs (positive): CREDITS_PER_MINUTE per started
    minute, or pro rata by the second (rounded up) when BILL_PER_STARTED_MINUTE is off."""
    rate, per_started_minute = pricing or call_pricing()
    if per_started_minute:
        return rate * -(-duration_seconds // 60)
    return -(-rate * duration_seconds // 60)


def call_pricing() -> tuple[int, bool]:
    """(credits per minute, whether every started minute is billed whole) from the config."""
    config = current_app.config
    return config["CREDITS_PER_MINUTE"], config["BILL_PER_STARTED_MINUTE"]


def _check_call_values(call_id, started_at, duration_seconds, direction, from_number, to_number):
    errors = {}
    if not isinstance(call_id, str) or not call_id.strip() or len(call_id) > CALL_ID_MAX:
        errors["call_id"] = f"Give a call ID of 1 to {CALL_ID_MAX} characters."
    if not isinstance(started_at, datetime):
        errors["started_at"] = "Give the time the call started."
    if (
        not isinstance(duration_seconds, int)
        or isinstance(duration_seconds, bool)
        or not 0 <= duration_seconds <= MAX_CALL_SECONDS
    ):
        errors["duration_seconds"] = (
            f"Give the duration as a whole number of seconds from 0 to {MAX_CALL_SECONDS:,}."
        )
    if direction not in DIRECTIONS:
        errors["direction"] = "The direction is inbound or outbound."
    for name, number in (("from_number", from_number), ("to_number", to_number)):
        if not isinstance(number, str) or not E164.match(number):
            errors[name] = "Give the number in E.164 form, like +14155550100."
    if errors:
        raise ValidationFailed(errors)


@operation
def record_call(
    actor: Actor,
    organization: Organization,
    agent: Agent,
    *,
    call_id: str,
    started_at: datetime,
    duration_seconds: int,
    direction: str,
    from_number: str,
    to_number: str,
) -> LedgerResult:
    """Record a call and charge it once: a call ID seen before changes nothing."""
    _check_call_values(call_id, started_at, duration_seconds, direction, from_number, to_number)
    if agent.organization_id != organization.id:
        raise ValidationFailed({"agent_id": "This agent belongs to another organization."})
    if started_at.tzinfo is not None:
        started_at = to_utc_naive(started_at)
    # The organization's row lock first: postings of the same call queue up behind it, and
    # the second one finds the first one's entry below.
    locked(Organization.select(Organization.id).where(Organization.id == organization.id)).get()
    key = call_key(call_id)
    existing = LedgerEntry.get_or_none(LedgerEntry.idempotency_key == key)
    if existing is not None:
        return LedgerResult(existing, created=False)
    if not Call.select().where(Call.public_id == call_id).exists():
        try:
            with database.atomic():
                Call.create(
                    public_id=call_id,
                    organization=organization,
                    agent=agent,
                    started_at=started_at,
                    duration_seconds=duration_seconds,
                    direction=direction,
                    from_number=from_number,
                    to_number=to_number,
                )
        except IntegrityError:
            # The same call ID, posted for another organization at the same moment: the
            # call row exists either way; the ledger key decides what is charged.
            pass
    return _post(
        actor,
        organization,
        kind="call",
        credits=-call_credits(duration_seconds),
        key=key,
        action="call.charged",
        description=f"{direction.capitalize()} call",
        # A call's entry is dated when the call happened, so the ledger reads like the calls.
        created_at=started_at,
        call_id=call_id,
        agent_id=agent.public_id,
        duration_seconds=duration_seconds,
        audit_after={"call_id": call_id},
    )


def call_key(call_id: str) -> str:
    return f"call:{call_id}"


# Number rentals


def parse_month(raw) -> date:
    """The first day of a YYYY-MM month; ValidationFailed({"month": …}) otherwise."""
    if isinstance(raw, date):
        return raw.replace(day=1)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}", str(raw or "")):
            raise ValueError(raw)
        return date.fromisoformat(f"{raw}-01")
    except ValueError as exc:
        raise ValidationFailed(
            {"month": "Give the month as YYYY-MM, for example 2026-01."}
        ) from exc


@operation
def charge_number_rental(actor: Actor, number: PhoneNumber, month) -> LedgerResult:
    """Charge a number's whole monthly cost, once per number and month, to the organization
    holding it (a number assigned at any time during the month pays the full month)."""
    first_day = parse_month(month)
    month_end = add_months(datetime.combine(first_day, datetime.min.time()), 1)
    if number.organization_id is None:
        raise ValidationFailed({"number": f"{number.number} is not assigned to an organization."})
    if number.assigned_at is not None and number.assigned_at >= month_end:
        raise ValidationFailed(
            {"number": f"{number.number} was assigned after {first_day:%B %Y} ended."}
        )
    organization = Organization.get_by_id(number.organization_id)
    label = f"{first_day:%Y-%m}"
    return _post(
        actor,
        organization,
        kind="number_rental",
        credits=-number.monthly_cost,
        key=f"rental:{number.number}:{label}",
        action="number.rental_charged",
        description=f"{number.direction.capitalize()} number rental, {first_day:%B %Y}",
        phone_number=number.number,
        audit_after={"number": number.number, "month": label},
    )


@dataclass
class RentalReport:
    charged: int = 0
    already_charged: int = 0
    credits: int = 0


def charge_rentals(actor: Actor, month) -> RentalReport:
    """Charge every number assigned before the month's end its monthly cost for that month;
    each number is its own operation, so a re-run charges only what was missed."""
    first_day = parse_month(month)
    month_end = add_months(datetime.combine(first_day, datetime.min.time()), 1)
    report = RentalReport()
    numbers = (
        PhoneNumber.select()
        .where(
            PhoneNumber.organization.is_null(False),
            PhoneNumber.assigned_at.is_null() | (PhoneNumber.assigned_at < month_end),
        )
        .order_by(PhoneNumber.id)
    )
    for number in numbers:
        result = charge_number_rental(actor, number, first_day)
        if result.created:
            report.charged += 1
            report.credits += -result.entry.credits
        else:
            report.already_charged += 1
    return report


# Plan renewals, grants and adjustments


@operation
def renew_plan(
    actor: Actor, organization: Organization, *, idempotency_key: str | None = None
) -> LedgerResult:
    """Start the next plan period (from the current period's end, or now when it has lapsed)
    and add the plan's included credits."""
    organization = locked(Organization.select().where(Organization.id == organization.id)).get()
    plan = organization.plan
    if plan is None:
        raise ValidationFailed({"plan": "This organization has no plan to renew."})
    now = utcnow().replace(microsecond=0)
    before = {"period_start": organization.period_start, "period_end": organization.period_end}
    start = (
        organization.period_end
        if organization.period_end and organization.period_end > now
        else now
    )
    key = idempotency_key or f"plan_renewal:{organization.public_id}:{start:%Y-%m-%dT%H:%M:%S}"
    start_period(organization, plan, start)
    result = _post(
        actor,
        organization,
        kind="plan_renewal",
        credits=plan.included_credits,
        key=key,
        action="plan.renewed",
        description=f"{plan.name} plan renewed: included credits",
        audit_after={
            "plan": plan.code,
            "period_start": organization.period_start,
            "period_end": organization.period_end,
            "before": before,
        },
    )
    if result.created:
        Organization.update(
            period_start=organization.period_start, period_end=organization.period_end
        ).where(Organization.id == organization.id).execute()
    return result


def _staff_only(actor: Actor) -> None:
    if actor.kind not in ("staff", "system"):
        raise Forbidden("Only Intrlume staff can grant or adjust credits.")


def _clean_reason(reason) -> str:
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": f"Give a reason of 1 to {REASON_MAX} characters."})
    return reason


# Far above any real grant, and far below what would overflow a 64-bit balance.
GRANT_MAX = 1_000_000_000


def _whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@operation
def grant_credits(
    actor: Actor,
    organization: Organization,
    amount: int,
    reason: str,
    *,
    max_amount: int | None = None,
    idempotency_key: str | None = None,
) -> LedgerResult:
    """Give an organization credits, with a reason; max_amount caps what support staff grant."""
    problem = None
    if not _whole_number(amount) or amount <= 0:
        problem = "Give a whole number of credits greater than 0."
    elif amount > GRANT_MAX:
        problem = f"Grant at most {GRANT_MAX:,} credits at a time."
    elif max_amount is not None and amount > max_amount:
        problem = f"You can grant at most {max_amount:,} credits at a time."
    return _staff_entry(
        actor, organization, "credit_grant", "amount", amount, problem, reason, idempotency_key
    )


@operation
def adjust(
    actor: Actor,
    organization: Organization,
    credits: int,
    reason: str,
    *,
    idempotency_key: str | None = None,
) -> LedgerResult:
    """Correct a balance by a signed number of credits, with a reason (staff only)."""
    problem = None
    if not _whole_number(credits) or credits == 0:
        problem = "Give a whole number of credits other than 0 (negative to take away)."
    elif abs(credits) > GRANT_MAX:
        problem = f"Adjust by at most {GRANT_MAX:,} credits at a time."
    return _staff_entry(
        actor, organization, "adjustment", "credits", credits, problem, reason, idempotency_key
    )


STAFF_ENTRY_ACTIONS = {"credit_grant": "credits.granted", "adjustment": "credits.adjusted"}


def _staff_entry(
    actor, organization, kind, field, credits, problem, reason, idempotency_key
) -> LedgerResult:
    """Post a staff grant or adjustment, refusing it with every problem found at once."""
    _staff_only(actor)
    errors = {field: problem} if problem else {}
    try:
        reason = _clean_reason(reason)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return _post(
        actor,
        organization,
        kind=kind,
        credits=credits,
        key=idempotency_key or f"{kind}:{uuid.uuid4().hex}",
        action=STAFF_ENTRY_ACTIONS[kind],
        description=reason,
        audit_after={"reason": reason},
    )


# Call import


class ImportFileError(ServiceError):
    """The file can't be read as a call export at all (no rows were imported)."""


@dataclass
class ImportReport:
    imported: int = 0
    already_imported: int = 0
    bad_rows: list[tuple[int, str]] = field(default_factory=list)
    credits: int = 0
    organizations: set = field(default_factory=set)

    @property
    def summary(self) -> str:
        return (
            f"{self.imported:,} calls imported ({self.credits:,} credits charged to "
            f"{len(self.organizations):,} organizations), {self.already_imported:,} already "
            f"imported, {len(self.bad_rows):,} bad rows skipped."
        )


def _sniff_format(path: Path, head: str) -> str:
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    return "jsonl" if head.lstrip().startswith("{") else "csv"


def read_call_export(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, record, error) for each row of a CSV (with a header) or JSON Lines file."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        head = handle.read(4096)
        handle.seek(0)
        if _sniff_format(path, head) == "jsonl":
            yield from _read_jsonl(handle)
        else:
            yield from _read_csv(handle)


def _read_jsonl(handle) -> Iterator[tuple[int, dict | None, str | None]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            yield number, None, "not a valid JSON object"
            continue
        if not isinstance(record, dict):
            yield number, None, "not a JSON object"
            continue
        yield number, record, None


def _read_csv(handle) -> Iterator[tuple[int, dict | None, str | None]]:
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        return
    header = [name.strip() for name in header]
    missing = [name for name in IMPORT_FIELDS if name not in header]
    if missing:
        raise ImportFileError(
            "The CSV header lacks the column(s) "
            + ", ".join(missing)
            + "; expected "
            + ",".join(IMPORT_FIELDS)
            + "."
        )
    width = len(header)
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != width:
            yield reader.line_num, None, f"has {len(row)} fields, expected {width}"
            continue
        yield reader.line_num, dict(zip(header, row, strict=True)), None


def parse_call_record(record: dict) -> tuple | str:
    """A record as (call_id, org id, agent id, started_at UTC, duration, direction, from, to),
    or the reason it is bad."""
    values = {}
    for name in IMPORT_FIELDS:
        value = record.get(name)
        if isinstance(value, str):
            value = value.strip()
        values[name] = value
    missing = [name for name in IMPORT_FIELDS if values[name] is None or values[name] == ""]
    if missing:
        return "missing " + ", ".join(missing)
    call_id = str(values["call_id"])
    if len(call_id) > CALL_ID_MAX:
        return f"call_id is longer than {CALL_ID_MAX} characters"
    raw_start = str(values["started_at"])
    try:
        started = datetime.fromisoformat(raw_start)
    except ValueError:
        return f"started_at {raw_start!r} is not an ISO 8601 date and time"
    if started.tzinfo is None:
        return f"started_at {raw_start!r} has no UTC offset"
    raw_duration = values["duration_seconds"]
    if isinstance(raw_duration, int) and not isinstance(raw_duration, bool):
        duration = raw_duration
    elif isinstance(raw_duration, str) and raw_duration.isdigit():
        duration = int(raw_duration)
    else:
        return f"duration_seconds {raw_duration!r} is not a whole number of seconds"
    if not 0 <= duration <= MAX_CALL_SECONDS:
        return f"duration_seconds {raw_duration!r} is not between 0 and {MAX_CALL_SECONDS:,}"
    direction = str(values["direction"]).lower()
    if direction not in DIRECTIONS:
        return f"direction {direction!r} is not inbound or outbound"
    for name in ("from_number", "to_number"):
        if not isinstance(values[name], str) or not E164.match(values[name]):
            return f"{name} {values[name]!r} is not an E.164 number"
    return (
        call_id,
        str(values["organization_id"]),
        str(values["agent_id"]),
        started.astimezone(UTC).replace(tzinfo=None),
        duration,
        direction,
        values["from_number"],
        values["to_number"],
    )


class _Directory:
    """Organizations and agents by public ID, looked up once per ID for the whole import."""

    def __init__(self):
        self.orgs: dict[str, int | None] = {}
        self.agents: dict[str, tuple[int, int, str] | None] = {}

    def load(self, org_ids: set[str], agent_ids: set[str]) -> None:
        for wanted, cache, query in (
            (org_ids, self.orgs, self._orgs),
            (agent_ids, self.agents, self._agents),
        ):
            unknown = sorted(wanted - cache.keys())
            for start in range(0, len(unknown), LOOKUP_CHUNK):
                chunk = unknown[start : start + LOOKUP_CHUNK]
                found = query(chunk)
                for public_id in chunk:
                    cache[public_id] = found.get(public_id)

    @staticmethod
    def _orgs(chunk):
        return dict(
            Organization.select(Organization.public_id, Organization.id)
            .where(Organization.public_id.in_(chunk))
            .tuples()
        )

    @staticmethod
    def _agents(chunk):
        rows = (
            Agent.select(Agent.public_id, Agent.id, Agent.organization, Organization.public_id)
            .join(Organization)
            .where(Agent.public_id.in_(chunk))
            .tuples()
        )
        return {
            public: (agent_id, org_id, org_public) for public, agent_id, org_id, org_public in rows
        }


def import_calls(
    actor: Actor,
    path,
    *,
    progress: Callable[[int], None] | None = None,
    batch_size: int = IMPORT_BATCH,
) -> ImportReport:
    """Import a telephony call export: good rows become calls and their charges, bad rows are
    reported by line number and skipped, calls already imported are left alone.

    Each batch of rows is one operation (one transaction), so a long import that stops keeps
    what it has done and a re-run picks up the rest."""
    path = Path(path)
    report = ImportReport()
    directory = _Directory()
    seen: dict[str, int] = {}
    batch: list[tuple[int, tuple]] = []
    read = 0

    def flush():
        nonlocal read
        if batch:
            _import_batch(actor, batch, directory, report)
            batch.clear()
        if progress is not None:
            progress(read)
        read = 0

    for line, record, error in read_call_export(path):
        read += 1
        parsed = parse_call_record(record) if error is None else error
        if isinstance(parsed, str):
            report.bad_rows.append((line, parsed))
        elif parsed[0] in seen:
            report.bad_rows.append((line, f"call {parsed[0]} repeats line {seen[parsed[0]]}"))
        else:
            seen[parsed[0]] = line
            batch.append((line, parsed))
        if read >= batch_size:
            flush()
    flush()
    report.bad_rows.sort()
    return report


@operation
def _import_batch(actor: Actor, batch, directory: _Directory, report: ImportReport) -> None:
    """One batch of parsed rows: resolve, lock the organizations, insert, move balances.

    One audit event per organization per batch: the event commits with the rows it
    describes, and a 500,000-row file doesn't write 500,000 events."""
    directory.load({row[1] for _, row in batch}, {row[2] for _, row in batch})
    good = []
    for line, row in batch:
        call_id, org_public, agent_public = row[0], row[1], row[2]
        org_id = directory.orgs.get(org_public)
        agent = directory.agents.get(agent_public)
        if org_id is None:
            report.bad_rows.append((line, f"unknown organization {org_public}"))
        elif agent is None:
            report.bad_rows.append((line, f"unknown agent {agent_public}"))
        elif agent[1] != org_id:
            report.bad_rows.append(
                (line, f"agent {agent_public} belongs to another organization, not {org_public}")
            )
        else:
            good.append((line, row, org_id, agent[0]))
    if not good:
        return
    # Posting each organization's calls in time order keeps its running balance readable and
    # makes the index inserts (and the summary trigger's updates) land near each other.
    good.sort(key=lambda item: (item[2], item[1][3]))
    org_ids = sorted({org_id for _, _, org_id, _ in good})
    # Locking in id order keeps two concurrent imports from deadlocking each other.
    locked_rows = locked(
        Organization.select(
            Organization.id, Organization.credit_balance, Organization.low_balance_notified_at
        )
        .where(Organization.id.in_(org_ids))
        .order_by(Organization.id)
    ).tuples()
    balances, notified = {}, {}
    for org_id, balance, notified_at in locked_rows:
        balances[org_id], notified[org_id] = balance, notified_at is not None
    keys = [call_key(row[0]) for _, row, _, _ in good]
    done = _existing(LedgerEntry.idempotency_key, keys)
    known_calls = _existing(Call.public_id, [row[0] for _, row, _, _ in good])
    call_rows, entry_rows = [], []
    per_org: dict[int, dict] = {}
    pricing = call_pricing()
    for (line, row, org_id, agent_id), key in zip(good, keys, strict=True):
        call_id, _, agent_public, started, duration, direction, from_number, to_number = row
        if key in done:
            report.already_imported += 1
            continue
        if call_id not in known_calls:
            call_rows.append(
                (call_id, org_id, agent_id, started, duration, direction, from_number, to_number)
            )
        credits = -call_credits(duration, pricing)
        balances[org_id] += credits
        entry_rows.append(
            (
                org_id,
                started,
                "call",
                call_id,
                agent_public,
                duration,
                credits,
                balances[org_id],
                f"{direction.capitalize()} call",
                key,
            )
        )
        stats = per_org.setdefault(org_id, {"calls": 0, "credits": 0, "lines": [line, line]})
        stats["calls"] += 1
        stats["credits"] += credits
        stats["lines"] = [min(stats["lines"][0], line), max(stats["lines"][1], line)]
    _bulk_insert(Call, CALL_COLUMNS, call_rows)
    pause_summary_trigger(True)
    _bulk_insert(LedgerEntry, ENTRY_COLUMNS, entry_rows)
    pause_summary_trigger(False)
    add_to_summaries(entry_rows)
    # One statement each for the balances and the audit events, whatever the number of
    # organizations in the batch (a spread-out export touches thousands).
    param = database.obj.param  # the driver's placeholder: nothing here comes from input
    database.cursor().executemany(
        f'UPDATE "organization" SET "credit_balance" = "credit_balance" + {param} '  # noqa: S608  # nosec B608
        f'WHERE "id" = {param}',
        [(stats["credits"], org_id) for org_id, stats in per_org.items()],
    )
    threshold = current_app.config["LOW_BALANCE_THRESHOLD"]
    for org_id, stats in per_org.items():
        below = balances[org_id] < threshold
        charged = stats["credits"] < 0
        # Only an organization crossing the threshold, one way or the other, needs the check.
        if (below and charged and not notified[org_id]) or (not below and notified[org_id]):
            _check_low_balance(org_id, balances[org_id], charged=charged)
        report.imported += stats["calls"]
        report.credits += -stats["credits"]
        report.organizations.add(org_id)
    audit_many(
        actor,
        "calls.imported",
        [
            (
                org_id,
                {
                    "calls": stats["calls"],
                    "credits": stats["credits"],
                    "balance_after": balances[org_id],
                    "first_line": stats["lines"][0],
                    "last_line": stats["lines"][1],
                },
            )
            for org_id, stats in per_org.items()
        ],
    )


def pause_summary_trigger(paused: bool) -> None:
    """Switch the ledger_summary trigger (migration 0005) off or on for this transaction only:
    a bulk insert adds up its batch once instead of once per row."""
    if isinstance(database.obj, SqliteDatabase):
        database.execute_sql("UPDATE ledger_summary_pause SET paused = ?", (int(paused),))
    else:
        database.execute_sql(
            "SELECT set_config('backoffice.ledger_summary_paused', %s, true)",
            ("on" if paused else "off",),
        )


SUMMARY_UPSERT = """
INSERT INTO ledger_summary
    (organization_id, slot, kind, agent_id, entries, credits_used, credits_added)
VALUES ({marks})
ON CONFLICT (organization_id, slot, kind, agent_id) DO UPDATE SET
    entries = ledger_summary.entries + excluded.entries,
    credits_used = ledger_summary.credits_used + excluded.credits_used,
    credits_added = ledger_summary.credits_added + excluded.credits_added
"""


def add_to_summaries(entry_rows: list[tuple]) -> None:
    """What the paused trigger would have added for entry_rows (ENTRY_COLUMNS order)."""
    slots: dict[tuple, list[int]] = {}
    for org_id, created_at, kind, _, agent_id, _, credits, *_ in entry_rows:
        slot = created_at.replace(minute=created_at.minute // 15 * 15, second=0, microsecond=0)
        totals = slots.setdefault((org_id, slot, kind, agent_id or ""), [0, 0, 0])
        totals[0] += 1
        totals[1] += -credits if credits < 0 else 0
        totals[2] += credits if credits > 0 else 0
    if not slots:
        return
    sqlite = isinstance(database.obj, SqliteDatabase)
    rows = [
        (org_id, slot.isoformat(" ") if sqlite else slot, kind, agent_id, *totals)
        for (org_id, slot, kind, agent_id), totals in slots.items()
    ]
    sql = SUMMARY_UPSERT.format(marks=", ".join([database.obj.param] * 7))
    database.cursor().executemany(sql, rows)


def _existing(column, values: list[str]) -> set[str]:
    """Which of values the column already holds (raw SQL: peewee's per-value SQL building is
    the slowest part of a large import)."""
    found: set[str] = set()
    table, name = column.model._meta.table_name, column.column_name
    param = database.obj.param
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        marks = ", ".join([param] * len(chunk))
        sql = f'SELECT "{name}" FROM "{table}" WHERE "{name}" IN ({marks})'  # noqa: S608  # nosec B608 - names come from the models
        found.update(value for (value,) in database.execute_sql(sql, chunk))
    return found


CALL_COLUMNS = (
    "public_id",
    "organization_id",
    "agent_id",
    "started_at",
    "duration_seconds",
    "direction",
    "from_number",
    "to_number",
)
ENTRY_COLUMNS = (
    "organization_id",
    "created_at",
    "kind",
    "call_id",
    "agent_id",
    "duration_seconds",
    "credits",
    "balance_after",
    "description",
    "idempotency_key",
)


def _bulk_insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows with the driver's executemany: peewee builds SQL per value, which is too
    slow for half a million rows. Column names come from the constants above, never input."""
    if not rows:
        return
    db = database.obj
    if isinstance(db, SqliteDatabase):
        # The text form peewee itself stores for datetimes on SQLite.
        at = [i for i, value in enumerate(rows[0]) if isinstance(value, datetime)]
        rows = [list(row) for row in rows]
        for row in rows:
            for i in at:
                row[i] = row[i].isoformat(" ")
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join([db.param] * len(columns))
    sql = f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})'  # noqa: S608  # nosec B608
    database.cursor().executemany(sql, rows)


def format_bad_rows(report: ImportReport) -> Iterator[str]:
    for line, reason in report.bad_rows:
        yield f"line {line}: {reason}"


def count_rows(path) -> int:
    """How many data rows a file has, for a progress bar (lines, less a CSV header)."""
    path = Path(path)
    with open(path, "rb") as handle:
        lines = sum(1 for line in handle if line.strip())
        handle.seek(0)
        head = handle.read(4096).decode("utf-8-sig", "replace")
    return lines - (1 if _sniff_format(path, head) == "csv" and lines else 0)
