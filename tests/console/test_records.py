"""Read-only records: users, ledger, agents, calls, the audit log; secrets never shown."""

from datetime import timedelta

import pytest

from backoffice.clock import utcnow
from backoffice.models import (
    ApiKey,
    AuditEvent,
    Invitation,
    LedgerEntry,
    Membership,
    StaffUser,
    User,
)
from backoffice.services import ledger
from backoffice.services.base import Actor

from ..factories import make_admin, make_agent, make_member, make_org


def test_users_list_shows_organizations_and_roles(support_client):
    first, second = make_org(name="Alpha Ltd"), make_org(name="Beta Ltd")
    user = make_admin(first, email="linus@example.com", first_name="Linus")
    Membership.create(user=user, organization=second, role="member")
    make_member(second, email="someone@example.com")
    page = support_client.get("/admin/users/?search=linus").get_data(as_text=True)
    assert "linus@example.com" in page
    assert "Alpha Ltd</a> (admin)" in page
    assert "Beta Ltd</a> (member)" in page
    assert "someone@example.com" not in page


def record_call(org, agent, call_id):
    return ledger.record_call(
        Actor.system("test"),
        org,
        agent,
        call_id=call_id,
        started_at=utcnow(),
        duration_seconds=61,
        direction="outbound",
        from_number="+14155550100",
        to_number="+14155550199",
    )


def test_ledger_search_by_call_agent_and_organization(support_client, support):
    org, other = make_org(name="Umbrella"), make_org(name="Wonka")
    ledger.grant_credits(Actor.staff(support), org, 1000, "start")
    ledger.grant_credits(Actor.staff(support), other, 1000, "start")
    agent = make_agent(org)
    page = support_client.get("/admin/ledger/").get_data(as_text=True)
    assert "Umbrella" in page
    assert "Wonka" in page
    page = support_client.get(f"/admin/ledger/?search={other.public_id}").get_data(as_text=True)
    assert "Wonka" in page
    assert "Umbrella" not in page
    page = support_client.get("/admin/ledger/?search=umbrel").get_data(as_text=True)
    assert "Umbrella" in page
    assert "Wonka" not in page
    record_call(org, agent, "call_first0001")
    record_call(org, make_agent(org), "call_second0002")
    page = support_client.get("/admin/ledger/?search=call_first0001").get_data(as_text=True)
    assert "call_first0001" in page
    assert "call_second0002" not in page
    page = support_client.get(f"/admin/ledger/?search={agent.public_id}").get_data(as_text=True)
    assert "call_first0001" in page
    assert "call_second0002" not in page


def test_ledger_has_no_create_edit_or_delete(support_client, support):
    org = make_org()
    ledger.grant_credits(Actor.staff(support), org, 1000, "start")
    entry = LedgerEntry.get()
    assert support_client.get("/admin/ledger/new/").status_code == 302
    assert support_client.get(f"/admin/ledger/edit/?id={entry.id}").status_code == 302
    support_client.post("/admin/ledger/delete/", data={"id": entry.id})
    support_client.post("/admin/ledger/action/", data={"action": "delete", "rowid": entry.id})
    support_client.post(f"/admin/ledger/edit/?id={entry.id}", data={"credits": "999999"})
    assert LedgerEntry.select().count() == 1
    assert LedgerEntry.get().credits == 1000
    page = support_client.get("/admin/ledger/").get_data(as_text=True)
    assert "/admin/ledger/delete/" not in page
    assert "/admin/ledger/new/" not in page


def test_agents_and_calls_search(support_client):
    org = make_org(name="Cyberdyne")
    agent = make_agent(org, name="Skynet desk")
    record_call(org, agent, "call_abc123")
    page = support_client.get("/admin/agents/?search=skynet").get_data(as_text=True)
    assert agent.public_id in page
    page = support_client.get("/admin/calls/?search=call_abc123").get_data(as_text=True)
    assert "call_abc123" in page
    assert "Cyberdyne" in page
    page = support_client.get(f"/admin/calls/?search={agent.public_id}").get_data(as_text=True)
    assert "call_abc123" in page


def test_audit_log_shows_who_when_what_before_after(support_client, support):
    org = make_org(name="Tyrell")
    support_client.post(
        f"/admin/organizations/{org.public_id}/details",
        data={"name": "Tyrell Corp", "billing_email": org.billing_email},
    )
    page = support_client.get("/admin/audit/").get_data(as_text=True)
    assert "organization.details_changed" in page
    assert "sam@intrlume.tech" in page
    assert "&#34;Tyrell&#34;" in page or "Tyrell&#34;" in page or '"Tyrell"' in page
    assert "Tyrell Corp" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("flt0_0={org}", "mine.event", "other.event"),
        ("flt1_1=alice", "mine.event", "other.event"),
        ("flt3_3=other.event", "other.event", "mine.event"),
        ("flt4_4=mine", "mine.event", "other.event"),
        ("flt5_5={range}", "mine.event", "other.event"),
    ],
)
def test_audit_log_filters(support_client, query, shown, hidden):
    org = make_org()
    now = utcnow().replace(microsecond=0)
    AuditEvent.create(
        actor_type="user",
        actor_label="alice@example.com",
        organization=org,
        action="mine.event",
        created_at=now,
    )
    AuditEvent.create(
        actor_type="system",
        actor_label="cli",
        action="other.event",
        created_at=now - timedelta(days=10),
    )
    start, end = now - timedelta(days=1), now + timedelta(days=1)
    date_range = f"{start:%Y-%m-%d %H:%M:%S} to {end:%Y-%m-%d %H:%M:%S}"
    url = "/admin/audit/?" + query.format(org=org.public_id, range=date_range)
    page = support_client.get(url).get_data(as_text=True)
    assert shown in page
    assert hidden not in page


def test_no_console_page_shows_a_secret(superuser_client, superuser):
    org = make_org()
    user = make_admin(org)
    key = ApiKey.create(
        organization=org, key_hash="k" * 64, prefix="sk_live_Zz", last_four="0000", created_by=user
    )
    Invitation.create(
        organization=org, email="x@example.com", token_hash="t" * 64, expires_at=utcnow()
    )
    secrets = [
        user.password_hash,
        user.session_token,
        superuser.password_hash,
        superuser.session_token,
        key.key_hash,
        "t" * 64,
    ]
    urls = [
        "/admin/users/",
        "/admin/staff/",
        f"/admin/staff/edit/?id={superuser.id}",
        f"/admin/organizations/{org.public_id}/",
        "/admin/audit/",
        "/admin/organizations/",
    ]
    for url in urls:
        page = superuser_client.get(url).get_data(as_text=True)
        assert superuser_client.get(url).status_code == 200, url
        for secret in secrets:
            assert secret not in page, url
        for name in ("password_hash", "key_hash", "token_hash", "session_token"):
            assert name not in page, url
    assert StaffUser.select().count() == 1
    assert User.select().count() == 1
