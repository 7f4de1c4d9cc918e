"""The Billing tab: admin only, filters in the org's timezone, keyset pages, totals, chart, CSV."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backoffice.models import LedgerEntry
from backoffice.models.billing import (
    LedgerFilters,
    ledger_page,
    ledger_query,
    parse_ledger_filters,
)
from backoffice.services import ledger
from backoffice.services.errors import ValidationFailed

from ..conftest import login
from ..factories import make_admin, make_agent, make_member, make_org
from .helpers import STAFF, call

NEW_YORK = ZoneInfo("America/New_York")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture
def org(ctx):
    return make_org(timezone="America/New_York")


def admin_client(client, org):
    login(client, make_admin(org))
    return client


def test_members_are_refused_and_do_not_see_the_tab(client, org):
    login(client, make_member(org))
    assert client.get("/settings/billing").status_code == 403
    assert client.get("/settings/billing.csv").status_code == 403
    assert ">Billing<" not in client.get("/settings/profile").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/settings/billing").status_code == 302
    assert client.get("/settings/billing.csv").status_code == 302


def test_admins_see_the_tab_columns_balance_and_only_their_own_entries(client, org):
    agent = make_agent(org)
    other = make_org()
    call(org, agent, "call_mine", started_at=local(2026, 11, 3, 9, 5), duration=125)
    call(other, make_agent(other), "call_theirs")
    ledger.grant_credits(STAFF, org, 5_000, "Welcome credits")
    page = admin_client(client, org).get("/settings/billing")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert ">Billing<" in text
    for label in ("Date", "Kind", "Call / agent", "Duration", "Credits", "Balance after"):
        assert f">{label}</th>" in text
    for label in ("From", "To", "Search", "Filter", "Download CSV"):
        assert label in text
    assert "call_mine" in text
    assert agent.public_id in text
    assert "call_theirs" not in text
    assert "2026-11-03 09:05" in text  # local time, not UTC 14:05
    assert "2:05" in text
    assert 'Current balance: <strong id="current-balance">4,970</strong>' in text
    assert "30</strong> credits used" in text
    assert "Welcome credits" in text


def test_an_entry_at_2330_local_on_the_last_day_is_included(client, org):
    agent = make_agent(org)
    call(org, agent, "call_first_minute", started_at=local(2026, 11, 1, 0, 0))
    call(org, agent, "call_before", started_at=local(2026, 10, 31, 23, 59))
    call(org, agent, "call_late", started_at=local(2026, 11, 10, 23, 30))
    call(org, agent, "call_after", started_at=local(2026, 11, 11, 0, 0))
    text = (
        admin_client(client, org)
        .get("/settings/billing?from=2026-11-01&to=2026-11-10")
        .get_data(as_text=True)
    )
    assert "call_first_minute" in text
    assert "call_late" in text
    assert "call_before" not in text
    assert "call_after" not in text
    # 23:30 in New York is 04:30 UTC the next day: the range is local, not UTC.
    late = LedgerEntry.get(LedgerEntry.call_id == "call_late")
    assert late.created_at == datetime(2026, 11, 11, 4, 30)


def test_filters_across_a_daylight_saving_change(org):
    filters = parse_ledger_filters({"from": "2026-11-01", "to": "2026-11-01"}, org.timezone)
    # New York falls back on 1 November 2026: that day lasts 25 hours.
    assert filters.start_utc == datetime(2026, 11, 1, 4, 0)
    assert filters.end_utc == datetime(2026, 11, 2, 5, 0)


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"from": "2026-13-01"}, "from", "Enter the From date as YYYY-MM-DD"),
        ({"to": "01/02/2026"}, "to", "Enter the To date as YYYY-MM-DD"),
        ({"from": "2026-11-10", "to": "2026-11-01"}, "to", "on or after the From date"),
        ({"q": "x" * 65}, "q", "at most 64 characters"),
        ({"after": "not-a-cursor"}, "cursor", "page link is not valid"),
        ({"before": "W10"}, "cursor", "page link is not valid"),
    ],
)
def test_bad_filters_give_a_message_and_400(client, org, args, field, message):
    response = admin_client(client, org).get("/settings/billing", query_string=args)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    if field != "cursor":
        with pytest.raises(ValidationFailed) as refused:
            parse_ledger_filters(args, org.timezone)
        assert field in refused.value.errors
        csv_response = client.get("/settings/billing.csv", query_string=args)
        assert csv_response.status_code == 400


def test_search_by_call_or_agent_id_exact_or_prefix(client, org):
    alpha, beta = make_agent(org), make_agent(org)
    call(org, alpha, "call_abc1")
    call(org, alpha, "call_abc2")
    call(org, beta, "call_xyz")
    admin_client(client, org)

    def found(q):
        text = client.get("/settings/billing", query_string={"q": q}).get_data(as_text=True)
        return sorted(set(re.findall(r"call_(?:abc\d|xyz)", text)))

    assert found("call_abc1") == ["call_abc1"]
    assert found("call_abc") == ["call_abc1", "call_abc2"]
    assert found(beta.public_id) == ["call_xyz"]
    assert found(beta.public_id[:-3]) == ["call_xyz"]
    assert found("abc") == []  # a prefix, not a substring
    assert found("CALL_ABC1") == []  # IDs are case-sensitive


def test_keyset_paging_with_equal_timestamps(client, org):
    agent = make_agent(org)
    same = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)
    for n in range(7):
        call(org, agent, f"call_same_{n}", started_at=same)
    call(org, agent, "call_newest", started_at=same + timedelta(seconds=1))
    call(org, agent, "call_oldest", started_at=same - timedelta(seconds=1))
    filters = LedgerFilters(timezone=org.timezone)
    expected = [e.id for e in ledger_query(org, filters)]
    seen, cursor = [], None
    while True:
        rows, cursor = ledger_page(org, filters, cursor, 3)
        seen.extend(e.id for e in rows)
        if cursor is None:
            break
    assert seen == expected
    assert len(seen) == len(set(seen)) == 9

    # Through the page's Older and Newer links, with the same page size.
    from backoffice.settings import billing as billing_view

    billing_view.PAGE_SIZE, saved = 3, billing_view.PAGE_SIZE
    try:
        admin_client(client, org)
        pages, url = [], "/settings/billing"
        while url:
            text = client.get(url).get_data(as_text=True).replace("&amp;", "&")
            pages.append(re.findall(r"<code>(call_\w+)</code>", text))
            older = re.search(r'href="([^"]*after=[^"]*)"', text)
            url = older.group(1) if older else None
        assert [len(p) for p in pages] == [3, 3, 3]
        assert pages[0][0] == "call_newest"
        assert pages[-1][-1] == "call_oldest"
        assert len({c for p in pages for c in p}) == 9
        newer = re.search(r'href="([^"]*before=[^"]*)"', text).group(1)
        back = client.get(newer).get_data(as_text=True)
        assert re.findall(r"<code>(call_\w+)</code>", back) == pages[1]
    finally:
        billing_view.PAGE_SIZE = saved


def test_csv_equals_the_filtered_rows(client, org):
    agent, other_agent = make_agent(org), make_agent(org)
    for n in range(25):
        call(org, agent, f"call_a{n:02d}", started_at=local(2026, 11, 1 + n % 20, 23, 30))
    for n in range(5):
        call(org, other_agent, f"call_b{n}", started_at=local(2026, 11, 3, 8, n))
    ledger.grant_credits(STAFF, org, 1_000, "Outside the search")
    args = {"from": "2026-11-03", "to": "2026-11-12", "q": "call_a"}
    filters = parse_ledger_filters(args, org.timezone)
    expected = list(ledger_query(org, filters))
    assert 0 < len(expected) < 25
    response = admin_client(client, org).get(
        "/settings/billing.csv", query_string=args, buffered=False
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.is_streamed
    body = response.get_data(as_text=True)
    response.close()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["call_id"] for r in rows] == [e.call_id for e in expected]
    assert [int(r["credits"]) for r in rows] == [e.credits for e in expected]
    assert [int(r["balance_after"]) for r in rows] == [e.balance_after for e in expected]
    assert rows[0]["date"].endswith("-05:00")  # in the organization's timezone
    assert {r["agent_id"] for r in rows} == {agent.public_id}


def test_csv_of_more_rows_than_one_batch(client, org, monkeypatch):
    from backoffice.settings import billing as billing_view

    monkeypatch.setattr(billing_view, "CSV_BATCH", 4)
    agent = make_agent(org)
    for n in range(10):
        call(org, agent, f"call_{n}", started_at=datetime(2026, 11, 5, 12, 0, tzinfo=UTC))
    other = make_agent(org)
    for n in range(6):
        call(org, other, f"call_other_{n}", started_at=datetime(2026, 11, 5, 12, 0, tzinfo=UTC))
    admin_client(client, org)
    for args in [{}, {"q": agent.public_id}, {"q": "call_other"}, {"q": "call_"}]:
        body = client.get("/settings/billing.csv", query_string=args).get_data(as_text=True)
        rows = list(csv.DictReader(io.StringIO(body)))
        filters = parse_ledger_filters(args, org.timezone)
        assert [r["call_id"] for r in rows] == [e.call_id for e in ledger_query(org, filters)]


def test_chart_is_inline_svg_per_day_split_by_kind(client, org):
    agent = make_agent(org)
    call(org, agent, "call_1", started_at=local(2026, 11, 2, 10, 0), duration=600)
    call(org, agent, "call_2", started_at=local(2026, 11, 4, 10, 0), duration=60)
    text = (
        admin_client(client, org)
        .get("/settings/billing?from=2026-11-01&to=2026-11-07")
        .get_data(as_text=True)
    )
    assert '<svg role="img"' in text
    assert '<title id="chart-title">Credits used per day</title>' in text
    assert "2026-11-02: 100 credits, Call" in text
    assert "2026-11-04: 10 credits, Call" in text
    assert "<script" not in text.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_chart_is_weekly_over_long_ranges(client, org):
    agent = make_agent(org)
    call(org, agent, "call_1", started_at=local(2026, 6, 3, 10, 0), duration=60)
    call(org, agent, "call_2", started_at=local(2026, 6, 5, 10, 0), duration=60)
    text = (
        admin_client(client, org)
        .get("/settings/billing?from=2026-06-01&to=2026-09-30")
        .get_data(as_text=True)
    )
    assert "Credits used per week" in text
    assert "2026-06-01 – 2026-06-07: 20 credits, Call" in text


def test_chart_days_follow_the_local_calendar_across_dst(org):
    from backoffice.models.billing import usage_chart

    agent = make_agent(org)
    # 00:30 local on 2 November (after New York fell back) and 23:30 on 1 November.
    call(org, agent, "call_1", started_at=local(2026, 11, 1, 23, 30))
    call(org, agent, "call_2", started_at=local(2026, 11, 2, 0, 30))
    call(org, agent, "call_3", started_at=local(2026, 10, 31, 23, 30))
    chart = usage_chart(
        org, parse_ledger_filters({"from": "2026-10-30", "to": "2026-11-03"}, org.timezone)
    )
    assert chart.values == {
        (date(2026, 10, 31), "call"): 20,
        (date(2026, 11, 1), "call"): 20,
        (date(2026, 11, 2), "call"): 20,
    }


def test_low_balance_banner_for_admins_only(client, org, app):
    app.config["LOW_BALANCE_THRESHOLD"] = 1_000
    ledger.grant_credits(STAFF, org, 500, "Small")
    member = make_member(org)
    admin_client(client, org)
    assert "Your credit balance is low" in client.get("/settings/profile").get_data(as_text=True)
    client.post("/logout")
    login(client, member)
    assert "Your credit balance is low" not in client.get("/settings/profile").get_data(
        as_text=True
    )
    ledger.grant_credits(STAFF, org, 5_000, "Top-up")
    client.post("/logout")
    admin_client(client, org)
    assert "Your credit balance is low" not in client.get("/settings/profile").get_data(
        as_text=True
    )


@pytest.mark.parametrize("timezone", ["America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "UTC"])
def test_totals_and_chart_from_slot_summaries_match_the_entries(ctx, timezone, tmp_path):
    """The trigger-kept 15-minute summaries add up to exactly what the entries say, for
    entries written one by one and by the bulk import, in whole, half and 45-minute zones."""
    from backoffice.models.billing import LedgerSummary, ledger_totals, usage_chart

    org = make_org(timezone=timezone)
    agent = make_agent(org)
    zone = ZoneInfo(timezone)
    for n in range(40):
        started = datetime(2026, 10, 28, 0, 0, tzinfo=zone) + timedelta(minutes=97 * n)
        call(org, agent, f"call_{n}", started_at=started, duration=30 + 17 * n)
    ledger.grant_credits(STAFF, org, 900, "Grant")
    lines = [
        "call_id,agent_id,organization_id,started_at,duration_seconds,direction,"
        "from_number,to_number"
    ]
    for n in range(30):
        started = datetime(2026, 10, 29, 23, 50, tzinfo=zone) + timedelta(minutes=7 * n)
        lines.append(
            f"call_i{n},{agent.public_id},{org.public_id},{started.isoformat()},"
            f"{60 * n},inbound,+14155550100,+14155550199"
        )
    path = tmp_path / "calls.csv"
    path.write_text("\n".join(lines) + "\n")
    ledger.import_calls(STAFF, path)
    assert LedgerSummary.select().where(LedgerSummary.organization == org).count() > 0
    other_agent = make_agent(org)
    call(org, other_agent, f"{agent.public_id}_x", started_at=datetime(2026, 10, 29, tzinfo=zone))
    searches = [{"q": agent.public_id}, {"q": "call_i"}, {"q": "call_1"}, {"q": "agent_"}]
    for args in [
        {},
        {"from": "2026-10-29", "to": "2026-10-30"},
        {"from": "2026-10-30"},
        *searches,
        *({**search, "from": "2026-10-29", "to": "2026-10-29"} for search in searches),
    ]:
        filters = parse_ledger_filters(args, timezone)
        entries = list(ledger_query(org, filters))
        summed = ledger_totals(org, filters)
        assert summed.entries == len(entries)
        assert summed.credits_used == sum(-e.credits for e in entries if e.credits < 0)
        assert summed.credits_added == sum(e.credits for e in entries if e.credits > 0)
        chart = usage_chart(org, filters)
        by_day: dict = {}
        for e in entries:
            if e.credits < 0:
                day = e.created_at.replace(tzinfo=UTC).astimezone(zone).date()
                by_day[(day, e.kind)] = by_day.get((day, e.kind), 0) - e.credits
        assert chart.values == by_day
        page, cursor = ledger_page(org, filters, None, 7)
        while cursor:
            more, cursor = ledger_page(org, filters, cursor, 7)
            page += more
        assert [e.id for e in page] == [e.id for e in entries]
