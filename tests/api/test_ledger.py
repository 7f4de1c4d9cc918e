"""GET /ledger: the Billing tab's filters (from, to, q) and cursor paging with `next` links."""

from datetime import datetime

import pytest

from backoffice.models import Organization

from ..factories import make_org
from .conftest import make_ledger_entry as entry


@pytest.fixture
def ledger(holder):
    Organization.update(timezone="America/New_York").where(
        Organization.id == holder.org.id
    ).execute()
    rows = [
        # 03:30 UTC on 2 March is still 1 March in New York.
        entry(holder.org, datetime(2026, 3, 2, 3, 30), 1, call_id="call_a1", agent_id="agent_x"),
        entry(holder.org, datetime(2026, 3, 2, 15, 0), 2, call_id="call_a2", agent_id="agent_y"),
        entry(holder.org, datetime(2026, 3, 5, 12, 0), 3, call_id="call_b1", agent_id="agent_x"),
        entry(holder.org, datetime(2026, 3, 5, 12, 0), 4, kind="credit_grant", credits=500),
        entry(holder.org, datetime(2026, 3, 9, 12, 0), 5, call_id="call_c1", agent_id="agent_z"),
    ]
    entry(make_org(), datetime(2026, 3, 5, 12, 0), 99, call_id="call_a9")
    return rows


def test_ledger_lists_newest_first(api, ledger):
    body = api.get("/ledger").get_json()
    assert [row["call_id"] for row in body["data"]] == [
        "call_c1",
        None,
        "call_b1",
        "call_a2",
        "call_a1",
    ]
    grant = body["data"][1]
    assert grant == {
        "created_at": "2026-03-05T12:00:00Z",
        "kind": "credit_grant",
        "call_id": None,
        "agent_id": None,
        "phone_number": None,
        "duration_seconds": None,
        "credits": 500,
        "balance_after": 0,
        "description": "",
    }
    assert body["next"] is None
    assert "call_a9" not in str(body)


def test_dates_are_days_in_the_organizations_timezone(api, ledger):
    body = api.get("/ledger?from=2026-03-01&to=2026-03-01").get_json()
    assert [row["call_id"] for row in body["data"]] == ["call_a1"]
    body = api.get("/ledger?from=2026-03-02&to=2026-03-05").get_json()
    assert [row["call_id"] for row in body["data"]] == [None, "call_b1", "call_a2"]


def test_search_by_call_or_agent_id(api, ledger):
    calls = api.get("/ledger?q=call_a").get_json()
    assert [row["call_id"] for row in calls["data"]] == ["call_a2", "call_a1"]
    agents = api.get("/ledger?q=agent_x").get_json()
    assert [row["call_id"] for row in agents["data"]] == ["call_b1", "call_a1"]


def test_next_links_keep_the_filters_and_cover_every_row_once(api, ledger):
    seen, path = [], "/ledger?limit=2&from=2026-03-02&q=call_"
    while path:
        body = api.get(path).get_json()
        assert len(body["data"]) <= 2
        seen += [row["call_id"] for row in body["data"]]
        if body["next"]:
            assert "from=2026-03-02" in body["next"]
            assert "q=call_" in body["next"]
        path = body["next"] and body["next"].removeprefix("/api/v1")
    assert seen == ["call_c1", "call_b1", "call_a2"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-01", "from"),
        ("from=yesterday", "from"),
        ("to=2026-02-30", "to"),
        ("from=", "from"),
        ("from=2026-03-05&to=2026-03-01", "to"),
        ("from=0001-01-01", "from"),
        ("to=9999-12-31", "to"),
        ("q=" + "x" * 65, "q"),
        ("q=call%00", "q"),
        ("q=call%20a", "q"),
        ("cursor=bogus", "cursor"),
        ("cursor=WyIyMDI2LTAzLTA1VDEyOjAwOjAwIiw5OTk5OTk5OTk5OTk5OTk5OTk5OTld", "cursor"),
        ("limit=0", "limit"),
        ("sort=asc", "sort"),
    ],
)
def test_bad_filters_are_422_naming_the_field(api, ledger, query, field):
    response = api.get(f"/ledger?{query}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert field in error["fields"]


def test_ledger_needs_a_key(client, ledger):
    response = client.get("/api/v1/ledger")
    assert response.status_code == 401
