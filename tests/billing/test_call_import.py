"""`billing import-calls`: CSV or JSON Lines in, each call charged exactly once, bad rows named."""

import json

from backoffice.models import AuditEvent, Call, LedgerEntry
from backoffice.services import ledger

from ..factories import make_agent, make_org
from .helpers import SYSTEM, assert_balanced, balance

HEADER = (
    "call_id,agent_id,organization_id,started_at,duration_seconds,direction,from_number,to_number"
)


def row(call_id, agent, org, started="2026-11-02T10:00:00+01:00", duration=61, direction="inbound"):
    return f"{call_id},{agent},{org},{started},{duration},{direction},+14155550100,+14155550199"


def write_csv(tmp_path, lines, name="calls.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return path


def import_file(runner, path):
    return runner.invoke(args=["billing", "import-calls", str(path)])


def test_good_rows_land_with_utc_times_and_charges(runner, ctx, tmp_path):
    org = make_org()
    agent = make_agent(org)
    path = write_csv(
        tmp_path,
        [
            row("call_1", agent.public_id, org.public_id),
            row("call_2", agent.public_id, org.public_id, "2026-11-02T23:59:59Z", 60, "outbound"),
        ],
    )
    result = import_file(runner, path)
    assert result.exit_code == 0, result.output
    assert "2 calls imported (30 credits charged to 1 organizations)" in result.output
    first = Call.get(Call.public_id == "call_1")
    assert first.started_at.isoformat() == "2026-11-02T09:00:00"
    assert (first.duration_seconds, first.direction, first.agent_id) == (61, "inbound", agent.id)
    entry = LedgerEntry.get(LedgerEntry.call_id == "call_1")
    assert (entry.kind, entry.credits, entry.agent_id) == ("call", -20, agent.public_id)
    assert balance(org) == -30
    assert_balanced(org)
    event = AuditEvent.get(AuditEvent.action == "calls.imported")
    assert event.organization_id == org.id
    assert event.after["calls"] == 2


def test_duplicate_call_ids_in_one_file_and_across_runs(runner, ctx, tmp_path):
    org = make_org()
    agent = make_agent(org)
    lines = [
        row("call_a", agent.public_id, org.public_id),
        row("call_b", agent.public_id, org.public_id),
        row("call_a", agent.public_id, org.public_id, duration=999),
    ]
    path = write_csv(tmp_path, lines)
    first = import_file(runner, path)
    assert "line 4: call call_a repeats line 2" in first.output
    assert "2 calls imported" in first.output
    assert balance(org) == -40
    second = import_file(runner, path)
    assert "0 calls imported" in second.output
    assert "2 already imported" in second.output
    assert LedgerEntry.select().count() == Call.select().count() == 2
    assert balance(org) == -40
    # A new file repeating an old call with one new one: only the new one lands.
    path = write_csv(
        tmp_path,
        [
            row("call_b", agent.public_id, org.public_id),
            row("call_c", agent.public_id, org.public_id),
        ],
        "more.csv",
    )
    third = import_file(runner, path)
    assert "1 calls imported" in third.output
    assert "1 already imported" in third.output
    assert balance(org) == -60
    assert_balanced(org)


def test_bad_rows_of_every_kind_are_reported_by_line_and_skipped(runner, ctx, tmp_path):
    org, other = make_org(), make_org()
    agent, foreign = make_agent(org), make_agent(other)
    a, o = agent.public_id, org.public_id
    lines = [
        row("call_ok", a, o),  # line 2
        row("call_u1", a, "org_missing"),  # 3
        row("call_u2", "agent_missing", o),  # 4
        row("call_u3", foreign.public_id, o),  # 5
        row("call_u4", a, o, started="yesterday"),  # 6
        row("call_u5", a, o, started="2026-11-02T10:00:00"),  # 7: no offset
        row("call_u6", a, o, duration="ten"),  # 8
        row("call_u7", a, o, duration="-5"),  # 9
        row("call_u8", a, o, direction="sideways"),  # 10
        f"call_u9,{a},{o},2026-11-02T10:00:00Z,5,inbound,555,+14155550199",  # 11
        f",{a},{o},2026-11-02T10:00:00Z,5,inbound,+14155550100,+14155550199",  # 12
        f"call_u10,{a},{o}",  # 13: too few fields
        "x" * 70 + f",{a},{o},2026-11-02T10:00:00Z,5,inbound,+14155550100,+14155550199",  # 14
        row("call_ok2", a, o),  # 15
        row("call_u11", a, o, duration=str(10**12)),  # 16
    ]
    result = import_file(runner, write_csv(tmp_path, lines))
    assert result.exit_code == 1
    expected = [
        "line 3: unknown organization org_missing",
        "line 4: unknown agent agent_missing",
        f"line 5: agent {foreign.public_id} belongs to another organization",
        "line 6: started_at 'yesterday' is not an ISO 8601 date and time",
        "line 7: started_at '2026-11-02T10:00:00' has no UTC offset",
        "line 8: duration_seconds 'ten' is not a whole number of seconds",
        "line 9: duration_seconds '-5' is not a whole number of seconds",
        "line 10: direction 'sideways' is not inbound or outbound",
        "line 11: from_number '555' is not an E.164 number",
        "line 12: missing call_id",
        "line 13: has 3 fields, expected 8",
        "line 14: call_id is longer than 64 characters",
        "line 16: duration_seconds '1000000000000' is not between 0 and 604,800",
    ]
    for message in expected:
        assert message in result.output
    assert "2 calls imported" in result.output
    assert "13 bad rows skipped" in result.output
    assert sorted(c.public_id for c in Call.select()) == ["call_ok", "call_ok2"]
    assert balance(other) == 0
    assert_balanced(org)


def test_json_lines_with_the_same_keys(runner, ctx, tmp_path):
    org = make_org()
    agent = make_agent(org)
    record = {
        "call_id": "call_j1",
        "agent_id": agent.public_id,
        "organization_id": org.public_id,
        "started_at": "2026-11-02T10:00:00-05:00",
        "duration_seconds": 125,
        "direction": "outbound",
        "from_number": "+14155550100",
        "to_number": "+14155550199",
    }
    path = tmp_path / "export.txt"  # no telling extension: detected from the content
    path.write_text(
        "\n".join(
            [
                json.dumps(record),
                "{not json",
                "",
                json.dumps([1, 2]),
                json.dumps({**record, "call_id": "call_j2", "duration_seconds": 1.5}),
                json.dumps({**record, "call_id": "call_j3", "agent_id": None}),
            ]
        )
    )
    result = import_file(runner, path)
    assert "line 2: not a valid JSON object" in result.output
    assert "line 4: not a JSON object" in result.output
    assert "line 5: duration_seconds 1.5 is not a whole number of seconds" in result.output
    assert "line 6: missing agent_id" in result.output
    assert "1 calls imported (30 credits" in result.output
    assert Call.get().started_at.isoformat() == "2026-11-02T15:00:00"


def test_a_csv_without_the_expected_columns_is_refused_whole(runner, ctx, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("call_id,agent\ncall_1,agent_x\n")
    result = import_file(runner, path)
    assert result.exit_code == 1
    assert "lacks the column(s) agent_id, organization_id" in result.output
    assert Call.select().count() == 0


def test_batches_commit_separately_and_keep_balances_running(ctx, tmp_path):
    orgs = [make_org() for _ in range(3)]
    agents = [make_agent(org) for org in orgs]
    lines = [
        row(f"call_{n}", agents[n % 3].public_id, orgs[n % 3].public_id, duration=30 + n)
        for n in range(50)
    ]
    seen = []
    report = ledger.import_calls(
        SYSTEM, write_csv(tmp_path, lines), progress=seen.append, batch_size=7
    )
    assert report.imported == 50
    assert report.bad_rows == []
    assert sum(seen) == 50
    for org in orgs:
        assert_balanced(org)
    # One audit event per organization per batch: 7 batches of 7 rows touch all three, the
    # last row is alone in its batch.
    assert AuditEvent.select().where(AuditEvent.action == "calls.imported").count() == 7 * 3 + 1
