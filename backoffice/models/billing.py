"""The append-only credit ledger and the read-only queries over it."""

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from peewee import (
    SQL,
    BigIntegerField,
    Case,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    NodeList,
    PostgresqlDatabase,
    fn,
)

from ..clock import to_local, to_utc_naive, utcnow
from ..db import BaseModel
from ..services.errors import ValidationFailed
from .organizations import Organization

LEDGER_KINDS = ("call", "number_rental", "plan_renewal", "credit_grant", "adjustment")
KIND_LABELS = {
    "call": "Call",
    "number_rental": "Number rental",
    "plan_renewal": "Plan renewal",
    "credit_grant": "Credit grant",
    "adjustment": "Adjustment",
}
MAX_SEARCH_LENGTH = 64
WEEKLY_AFTER_DAYS = 62


class LedgerIsAppendOnly(RuntimeError):
    """Raised by any attempt to change or remove a ledger entry once written."""

    def __init__(self):
        super().__init__("Ledger entries are append-only: they can't be changed or deleted.")


class LedgerEntry(BaseModel):
    # Indexed by the (organization, created_at, id) and (agent_id, created_at, id) composites.
    organization = ForeignKeyField(
        Organization, backref="ledger_entries", on_delete="RESTRICT", index=False
    )
    created_at = DateTimeField(default=utcnow)
    kind = CharField(max_length=16)
    call_id = CharField(max_length=64, null=True, index=True)
    agent_id = CharField(max_length=40, null=True)
    phone_number = CharField(max_length=20, null=True)
    duration_seconds = IntegerField(null=True)
    credits = BigIntegerField()
    balance_after = BigIntegerField()
    description = CharField(max_length=500, default="")
    idempotency_key = CharField(max_length=200, unique=True)

    class Meta:
        indexes = (
            (("organization", "created_at", "id"), False),
            (("agent_id", "created_at", "id"), False),
        )

    # The ledger is append-only: every path peewee (and Flask-Admin through it) offers to
    # change or remove rows is closed here, so no face can forget to.
    def save(self, force_insert=False, only=None):
        if self.id is not None and not force_insert:
            raise LedgerIsAppendOnly()
        return super().save(force_insert=force_insert, only=only)

    def delete_instance(self, recursive=False, delete_nullable=False):
        raise LedgerIsAppendOnly()

    @classmethod
    def update(cls, __data=None, **update):
        raise LedgerIsAppendOnly()

    @classmethod
    def delete(cls):
        raise LedgerIsAppendOnly()

    @classmethod
    def bulk_update(cls, model_list, fields, batch_size=None):
        raise LedgerIsAppendOnly()

    @classmethod
    def replace(cls, __data=None, **insert):
        raise LedgerIsAppendOnly()

    @classmethod
    def replace_many(cls, rows, fields=None):
        raise LedgerIsAppendOnly()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class LedgerSummary(BaseModel):
    """Entries and credits per organization, 15-minute UTC slot, kind and agent ('' for none);
    written only by the database trigger of migration 0005, read for totals and charts."""

    organization = ForeignKeyField(Organization, on_delete="CASCADE", index=False)
    slot = DateTimeField()
    kind = CharField(max_length=16)
    agent_id = CharField(max_length=40, default="")
    entries = IntegerField(default=0)
    credits_used = BigIntegerField(default=0)
    credits_added = BigIntegerField(default=0)

    class Meta:
        table_name = "ledger_summary"
        indexes = ((("organization", "slot", "kind", "agent_id"), True),)


SLOT = timedelta(minutes=15)


def _on_slot(moment: datetime | None) -> bool:
    return moment is None or (
        moment.minute % 15 == 0 and moment.second == 0 and moment.microsecond == 0
    )


# Read-only queries: the Billing tab and the API's GET /ledger share them.


@dataclass(frozen=True)
class LedgerFilters:
    """Which entries to show: local dates (inclusive) in timezone, and a call / agent ID prefix."""

    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    timezone: str = "UTC"

    @property
    def start_utc(self) -> datetime | None:
        """The first instant of date_from in the timezone, as stored naive UTC."""
        return self._midnight(self.date_from)

    @property
    def end_utc(self) -> datetime | None:
        """The first instant after date_to in the timezone (an exclusive bound)."""
        return self._midnight(self.date_to + timedelta(days=1)) if self.date_to else None

    def _midnight(self, day: date | None) -> datetime | None:
        if day is None:
            return None
        return to_utc_naive(datetime.combine(day, time.min, tzinfo=ZoneInfo(self.timezone)))

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (only those set)."""
        args = {}
        if self.date_from:
            args["from"] = self.date_from.isoformat()
        if self.date_to:
            args["to"] = self.date_to.isoformat()
        if self.q:
            args["q"] = self.q
        return args


def _parse_day(args: Mapping, name: str, label: str, errors: dict) -> date | None:
    """The YYYY-MM-DD date in args[name], None when empty; a malformed one goes to errors."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    errors[name] = f"Enter the {label} date as YYYY-MM-DD, for example 2026-01-31."
    return None


def parse_ledger_filters(args: Mapping, timezone: str) -> LedgerFilters:
    """LedgerFilters from query arguments `from`, `to` (YYYY-MM-DD) and `q`; refuses bad values."""
    errors: dict[str, str] = {}
    date_from = _parse_day(args, "from", "From", errors)
    date_to = _parse_day(args, "to", "To", errors)
    if date_from and date_to and date_to < date_from:
        errors["to"] = "The To date must be on or after the From date."
    q = (args.get("q") or "").strip()
    if len(q) > MAX_SEARCH_LENGTH:
        errors["q"] = f"Search for at most {MAX_SEARCH_LENGTH} characters of a call or agent ID."
    if errors:
        raise ValidationFailed(errors)
    return LedgerFilters(date_from, date_to, q, timezone)


def _prefix(column, q: str):
    """column starts with q, as an index-friendly range (ids are compared code point by code
    point) plus an exact check that keeps the answer right under any collation."""
    upper = q[:-1] + chr(ord(q[-1]) + 1)
    return (column >= q) & (column < upper) & (fn.SUBSTR(column, 1, len(q)) == q)


def _where(
    organization, filters: LedgerFilters, *, search: bool = True, by_organization: bool = True
):
    """The filters as conditions. by_organization=False writes the organization condition so
    the database can't drive the query from the organization index: a search branch's own
    index (call or agent ID) is far more selective, but planners prefer the index that also
    gives the sort order."""
    if by_organization:
        clauses = [LedgerEntry.organization == organization]
    else:
        unindexed = NodeList((SQL("+"), LedgerEntry.organization), glue="")
        clauses = [unindexed == getattr(organization, "id", organization)]
    if filters.start_utc is not None:
        clauses.append(LedgerEntry.created_at >= filters.start_utc)
    if filters.end_utc is not None:
        clauses.append(LedgerEntry.created_at < filters.end_utc)
    if search and filters.q:
        clauses.append(
            _prefix(LedgerEntry.call_id, filters.q) | _prefix(LedgerEntry.agent_id, filters.q)
        )
    return clauses


def _search_branches(q: str):
    """Conditions whose union is "call ID or agent ID starts with q", each one answered from
    its own index (an OR of them would make the database walk the whole organization)."""
    return [
        _prefix(LedgerEntry.call_id, q),
        # Equality keeps an agent's entries in (created_at, id) order straight off the index.
        LedgerEntry.agent_id == q,
        # Strictly after q, so the index range skips the agent equal to q.
        (LedgerEntry.agent_id > q) & _prefix(LedgerEntry.agent_id, q),
    ]


def _not_agent_match(q: str):
    """Entries whose agent ID does not start with q (including entries without an agent)."""
    return LedgerEntry.agent_id.is_null() | ~_prefix(LedgerEntry.agent_id, q)


def ledger_query(organization, filters: LedgerFilters):
    """The organization's entries matching filters, newest first by (created_at, id)."""
    return (
        LedgerEntry.select()
        .where(*_where(organization, filters))
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
    )


def _keyset(
    organization, filters: LedgerFilters, position, limit: int, *, newer: bool, columns=None
):
    """Up to limit entries just older (or, with newer, just newer) than position
    (created_at, id), nearest first; a search runs one indexed query per branch and merges.
    With columns (created_at and id first), plain tuples instead of entries."""
    if newer:
        order = (LedgerEntry.created_at.asc(), LedgerEntry.id.asc())
    else:
        order = (LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
    after = []
    if position is not None:
        created_at, entry_id = position
        if newer:
            after.append(
                (LedgerEntry.created_at > created_at)
                | ((LedgerEntry.created_at == created_at) & (LedgerEntry.id > entry_id))
            )
        else:
            after.append(
                (LedgerEntry.created_at < created_at)
                | ((LedgerEntry.created_at == created_at) & (LedgerEntry.id < entry_id))
            )

    def select(*conditions):
        query = LedgerEntry.select(*(columns or ())).where(*conditions)
        query = query.order_by(*order).limit(limit)
        return query.tuples() if columns else query

    def key(row):
        return row[:2] if columns else (row.created_at, row.id)

    if not filters.q:
        return list(select(*_where(organization, filters, search=False), *after))
    base = _where(organization, filters, search=False, by_organization=False) + after
    found = {}
    for branch in _search_branches(filters.q):
        for row in select(*base, branch):
            found[key(row)] = row
    return [found[k] for k in sorted(found, reverse=not newer)][:limit]


def encode_cursor(entry: LedgerEntry) -> str:
    """An opaque cursor pointing just after entry in newest-first order."""
    payload = json.dumps([entry.created_at.isoformat(), entry.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """(created_at, id) from a cursor; ValidationFailed({"cursor": …}) when it isn't one."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, entry_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        moment = datetime.fromisoformat(created_at)
        if not isinstance(entry_id, int) or isinstance(entry_id, bool) or moment.tzinfo:
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, UnicodeError) as exc:
        raise ValidationFailed({"cursor": "This page link is not valid; start again."}) from exc
    return moment, entry_id


def ledger_page(organization, filters: LedgerFilters, cursor: str | None, limit: int):
    """One page of ledger_query after cursor (keyset, no offsets); returns (rows, next_cursor)."""
    position = decode_cursor(cursor) if cursor else None
    rows = _keyset(organization, filters, position, limit + 1, newer=False)
    if len(rows) > limit:
        return rows[:limit], encode_cursor(rows[limit - 1])
    return rows, None


EXPORT_COLUMNS = (
    LedgerEntry.created_at,
    LedgerEntry.id,
    LedgerEntry.kind,
    LedgerEntry.call_id,
    LedgerEntry.agent_id,
    LedgerEntry.phone_number,
    LedgerEntry.duration_seconds,
    LedgerEntry.credits,
    LedgerEntry.balance_after,
    LedgerEntry.description,
)


def ledger_export(organization, filters: LedgerFilters, batch: int = 1_000):
    """Every matching entry as a tuple of EXPORT_COLUMNS, newest first, fetched batch by batch
    by keyset: memory stays flat however many rows there are."""
    position = None
    while True:
        rows = _keyset(organization, filters, position, batch, newer=False, columns=EXPORT_COLUMNS)
        yield from rows
        if len(rows) < batch:
            return
        position = rows[-1][:2]


def ledger_newer_page(organization, filters: LedgerFilters, cursor: str, limit: int):
    """The entries just newer than cursor, newest first: returns (rows, whether still newer
    entries exist)."""
    rows = _keyset(organization, filters, decode_cursor(cursor), limit + 1, newer=True)
    has_newer = len(rows) > limit
    return list(reversed(rows[:limit])), has_newer


@dataclass(frozen=True)
class LedgerTotals:
    entries: int = 0
    credits_used: int = 0
    credits_added: int = 0
    by_kind: dict = field(default_factory=dict)

    @property
    def net(self) -> int:
        return self.credits_added - self.credits_used


def _summarised(filters: LedgerFilters) -> bool:
    """Whether the slot summaries answer exactly: the range starts and ends on slot
    boundaries (always, for local midnights in today's timezones)."""
    return _on_slot(filters.start_utc) and _on_slot(filters.end_utc)


def _summary_where(organization, filters: LedgerFilters):
    clauses = [LedgerSummary.organization == organization]
    if filters.start_utc is not None:
        clauses.append(LedgerSummary.slot >= filters.start_utc)
    if filters.end_utc is not None:
        clauses.append(LedgerSummary.slot < filters.end_utc)
    if filters.q:
        clauses.append(_prefix(LedgerSummary.agent_id, filters.q))
    return clauses


def _direct_where(organization, filters: LedgerFilters):
    """What the summaries don't cover: with a search, the entries matched by call ID only."""
    return [
        *_where(organization, filters, search=False, by_organization=False),
        _prefix(LedgerEntry.call_id, filters.q),
        _not_agent_match(filters.q),
    ]


def ledger_totals(organization, filters: LedgerFilters) -> LedgerTotals:
    """Entry count, credits used (charges) and added over the filtered entries, and per kind."""
    entry_sums = (
        fn.COUNT(LedgerEntry.id),
        fn.SUM(Case(None, [(LedgerEntry.credits < 0, 0 - LedgerEntry.credits)], 0)),
        fn.SUM(Case(None, [(LedgerEntry.credits > 0, LedgerEntry.credits)], 0)),
    )
    if not _summarised(filters):
        return _totals(
            LedgerEntry.select(LedgerEntry.kind, *entry_sums)
            .where(*_where(organization, filters))
            .group_by(LedgerEntry.kind)
            .tuples()
        )
    rows = list(
        LedgerSummary.select(
            LedgerSummary.kind,
            fn.SUM(LedgerSummary.entries),
            fn.SUM(LedgerSummary.credits_used),
            fn.SUM(LedgerSummary.credits_added),
        )
        .where(*_summary_where(organization, filters))
        .group_by(LedgerSummary.kind)
        .tuples()
    )
    if filters.q:
        rows += list(
            LedgerEntry.select(LedgerEntry.kind, *entry_sums)
            .where(*_direct_where(organization, filters))
            .group_by(LedgerEntry.kind)
            .tuples()
        )
    return _totals(rows)


def _totals(rows) -> LedgerTotals:
    """LedgerTotals from (kind, entries, used, added) rows; a kind may come more than once."""
    entries = used = added = 0
    by_kind: dict = {}
    for kind, count, kind_used, kind_added in rows:
        count, kind_used, kind_added = int(count or 0), int(kind_used or 0), int(kind_added or 0)
        entries, used, added = entries + count, used + kind_used, added + kind_added
        totals = by_kind.setdefault(kind, {"entries": 0, "used": 0, "added": 0})
        totals["entries"] += count
        totals["used"] += kind_used
        totals["added"] += kind_added
    return LedgerTotals(entries, used, added, by_kind)


def _offset_minutes(moment: datetime, zone: ZoneInfo) -> int:
    """The zone's UTC offset, in minutes, at a naive-UTC moment."""
    return int(
        zone.utcoffset(to_local(moment, zone.key).replace(tzinfo=None)).total_seconds() // 60
    )


def _offset_segments(start_utc: datetime, end_utc: datetime, timezone: str):
    """[(until_utc or None, offset_minutes)] covering start..end: the timezone's UTC offset is
    constant inside each segment (it changes only at daylight-saving transitions)."""
    zone = ZoneInfo(timezone)
    segments, current, moment = [], _offset_minutes(start_utc, zone), start_utc
    while moment < end_utc:
        following = moment + timedelta(days=1)
        if _offset_minutes(following, zone) != current:
            # Narrow the day down to the minute the offset changed.
            low, high = moment, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if _offset_minutes(middle, zone) == current:
                    low = middle
                else:
                    high = middle
            high = high.replace(second=0, microsecond=0)
            segments.append((high, current))
            current = _offset_minutes(high, zone)
        moment = following
    segments.append((None, current))
    return segments


def _local_day_expression(database, column, segments):
    """SQL for the local calendar day of a naive-UTC column, given the offset segments."""
    if isinstance(database, PostgresqlDatabase):

        def shift(offset):
            return SQL(f"INTERVAL '{int(offset)} minutes'")

    else:

        def shift(offset):
            # A constant modifier per segment: SQLite's date() then parses no per-row string.
            return f"{int(offset):+d} minutes"

    if len(segments) == 1:
        modifier = shift(segments[0][1])
    else:
        modifier = Case(
            None,
            [(column < until, shift(offset)) for until, offset in segments[:-1]],
            shift(segments[-1][1]),
        )
    if isinstance(database, PostgresqlDatabase):
        return fn.DATE(column + modifier)
    return fn.DATE(column, modifier)


@dataclass(frozen=True)
class UsageChart:
    """Credits used per bucket (day or week, local dates) and kind, ready to draw."""

    bucket: str  # "day" or "week"
    starts: list  # the first local date of each bucket
    kinds: list  # kinds with any use, in LEDGER_KINDS order
    values: dict  # (bucket start, kind) -> credits used

    @property
    def maximum(self) -> int:
        totals = {}
        for (start, _), value in self.values.items():
            totals[start] = totals.get(start, 0) + value
        return max(totals.values(), default=0)


def _oldest(organization, filters: LedgerFilters, summarised: bool) -> datetime | None:
    """When the oldest matching entry was made (to the slot, from the summaries)."""
    if not summarised:
        return (
            LedgerEntry.select(fn.MIN(LedgerEntry.created_at))
            .where(*_where(organization, filters))
            .scalar()
        )
    moments = [
        LedgerSummary.select(fn.MIN(LedgerSummary.slot))
        .where(*_summary_where(organization, filters))
        .scalar()
    ]
    if filters.q:
        moments.append(
            LedgerEntry.select(fn.MIN(LedgerEntry.created_at))
            .where(*_direct_where(organization, filters))
            .scalar()
        )
    return min((m for m in moments if m is not None), default=None)


def usage_chart(organization, filters: LedgerFilters) -> UsageChart:
    """Credits used (charges, as positive numbers) per local day, or per week over ranges
    longer than WEEKLY_AFTER_DAYS days, split by kind, over the filtered range."""
    from ..extensions import database

    today = to_local(utcnow(), filters.timezone).date()
    first_day = filters.date_from
    last_day = filters.date_to or today
    summarised = _summarised(filters)
    if first_day is None:
        oldest = _oldest(organization, filters, summarised)
        if oldest is None:
            return UsageChart("day", [], [], {})
        first_day = to_local(oldest, filters.timezone).date()
    if last_day < first_day:
        last_day = first_day
    scope = LedgerFilters(first_day, last_day, filters.q, filters.timezone)
    segments = _offset_segments(scope.start_utc, scope.end_utc, filters.timezone)
    entry_day = _local_day_expression(database.obj, LedgerEntry.created_at, segments)
    entry_used = fn.SUM(0 - LedgerEntry.credits)
    queries = []
    if summarised and _summarised(scope):
        slot_day = _local_day_expression(database.obj, LedgerSummary.slot, segments)
        queries.append(
            LedgerSummary.select(
                slot_day.alias("day"), LedgerSummary.kind, fn.SUM(LedgerSummary.credits_used)
            )
            .where(*_summary_where(organization, scope), LedgerSummary.credits_used > 0)
            .group_by(SQL("1"), LedgerSummary.kind)
        )
        if scope.q:
            queries.append(
                LedgerEntry.select(entry_day.alias("day"), LedgerEntry.kind, entry_used)
                .where(*_direct_where(organization, scope), LedgerEntry.credits < 0)
                .group_by(SQL("1"), LedgerEntry.kind)
            )
    else:
        queries.append(
            LedgerEntry.select(entry_day.alias("day"), LedgerEntry.kind, entry_used)
            .where(*_where(organization, scope), LedgerEntry.credits < 0)
            .group_by(SQL("1"), LedgerEntry.kind)
        )
    rows = [row for query in queries for row in query.tuples()]
    weekly = (last_day - first_day).days + 1 > WEEKLY_AFTER_DAYS
    step = 7 if weekly else 1
    starts = [
        first_day + timedelta(days=n) for n in range(0, (last_day - first_day).days + 1, step)
    ]
    values: dict = {}
    for raw_day, kind, used in rows:
        local_day = date.fromisoformat(str(raw_day)[:10])
        start = first_day + timedelta(days=((local_day - first_day).days // step) * step)
        values[(start, kind)] = values.get((start, kind), 0) + int(used or 0)
    kinds = [kind for kind in LEDGER_KINDS if any(k == kind for _, k in values)]
    return UsageChart("week" if weekly else "day", starts, kinds, values)
