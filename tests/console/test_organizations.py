"""Organizations: list search and filters, the detail page, and every staff action on it."""

import pytest

from backoffice.models import (
    ApiKey,
    AuditEvent,
    LedgerEntry,
    Organization,
    OrganizationNote,
    PhoneNumber,
)
from backoffice.services.base import Actor
from backoffice.services.organizations import change_plan
from backoffice.services.requests import file_request

from ..factories import make_admin, make_agent, make_member, make_number, make_org, make_plan
from .conftest import changes_since, last_event_id


def reload(model):
    return type(model).get_by_id(model.id)


def act(client, org, action, **data):
    """Post one action from the organization's page; return the page it lands back on."""
    response = client.post(f"/admin/organizations/{org.public_id}/{action}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/organizations/{org.public_id}/"
    return client.get(response.headers["Location"]).get_data(as_text=True)


def only_event(staff, before, action):
    (event,) = changes_since(staff, before)
    assert event.action == action
    assert (event.actor_type, event.actor_id, event.actor_label) == ("staff", staff.id, staff.email)
    return event


@pytest.fixture
def org(ctx):
    return make_org(name="Acme Robotics", billing_email="billing@acme.example")


def test_detail_page_shows_everything_about_the_organization(support_client, support, org):
    admin = make_admin(org, first_name="Ada", last_name="Lovelace")
    make_member(org, email="grace@acme.example")
    from backoffice.services.members import invite_member

    invite_member(Actor.user(admin), org, "new.hire@acme.example", "member")
    make_number(org, number="+14155550111")
    make_agent(org, name="Front desk")
    ApiKey.create(
        organization=org,
        key_hash="f" * 64,
        prefix="sk_live_AbCd",
        last_four="wxyz",
        created_by=admin,
    )
    from backoffice.services import ledger

    ledger.grant_credits(Actor.staff(support), org, 1234, "Welcome credits")
    file_request(Actor.user(admin), org, "enable_embedding", requested_by=admin)
    act(support_client, org, "note", body="Called about invoices.")

    page = support_client.get(f"/admin/organizations/{org.public_id}/").get_data(as_text=True)
    for text in [
        "Acme Robotics",
        org.public_id,
        "billing@acme.example",
        org.plan.name,
        "Calls this period",
        "1,234 credits",
        "Ada Lovelace",
        "grace@acme.example",
        "new.hire@acme.example",
        "+14155550111",
        "Front desk",
        "sk_live_AbCd…wxyz",
        "Welcome credits",
        "Enable embedding",
        "Called about invoices.",
        "credits.granted",
        "member.invited",
    ]:
        assert text in page, text
    assert "f" * 64 not in page
    for label in [
        "Edit details",
        "Change plan",
        "Renew plan",
        "Grant credits",
        "Enable API access",
        "Enable embedding",
        "Assign number",
        "Release number",
        "Suspend",
        "Add note",
    ]:
        assert f">{label}</button>" in page, label


def test_history_is_newest_first_and_paged(support_client, support, org):
    for n in range(30):
        AuditEvent.create(
            actor_type="system", actor_label="test", organization=org, action=f"test.event{n:02d}"
        )
    page = support_client.get(f"/admin/organizations/{org.public_id}/").get_data(as_text=True)
    assert page.index("test.event29") < page.index("test.event10")
    assert "test.event04" not in page
    assert "Older" in page
    older = support_client.get(f"/admin/organizations/{org.public_id}/?audit_page=1").get_data(
        as_text=True
    )
    assert "test.event04" in older
    assert "test.event29" not in older


def test_edit_details(support_client, support, org):
    before = last_event_id()
    page = act(support_client, org, "details", name="Acme Ltd", billing_email="ap@acme.example")
    assert "Details saved." in page
    assert (reload(org).name, reload(org).billing_email) == ("Acme Ltd", "ap@acme.example")
    event = only_event(support, before, "organization.details_changed")
    assert event.before == {"name": "Acme Robotics", "billing_email": "billing@acme.example"}


def test_edit_details_refuses_a_bad_email(support_client, support, org):
    before = last_event_id()
    page = act(support_client, org, "details", name="Acme Ltd", billing_email="not-an-email")
    assert "Enter a valid email address" in page
    assert reload(org).name == "Acme Robotics"
    assert changes_since(support, before) == []


def test_change_plan(support_client, support, org):
    scale = make_plan(name="Scale")
    before = last_event_id()
    page = act(support_client, org, "plan", plan=str(scale.id))
    assert "is now on the Scale plan" in page
    assert reload(org).plan_id == scale.id
    only_event(support, before, "plan.changed")


def test_change_plan_to_the_same_plan_is_refused(support_client, support, org):
    before = last_event_id()
    page = act(support_client, org, "plan", plan=str(org.plan_id))
    assert "already on the" in page
    assert changes_since(support, before) == []


def test_renew_plan(support_client, support, org):
    old_end = org.period_end
    before = last_event_id()
    page = act(support_client, org, "renew")
    assert "Plan renewed" in page
    org = reload(org)
    assert org.credit_balance == org.plan.included_credits
    assert org.period_start == old_end
    only_event(support, before, "plan.renewed")


def test_grant_credits(support_client, support, org):
    before = last_event_id()
    page = act(support_client, org, "credits", amount="500", reason="Outage on 1 Dec")
    assert "500 credits granted." in page
    assert reload(org).credit_balance == 500
    (entry,) = LedgerEntry.select().where(LedgerEntry.organization == org)
    assert (entry.kind, entry.credits, entry.description) == (
        "credit_grant",
        500,
        "Outage on 1 Dec",
    )
    only_event(support, before, "credits.granted")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "-5", "reason": "oops"}, "greater than 0"),
        ({"amount": "", "reason": "oops"}, "greater than 0"),
        ({"amount": "abc", "reason": "oops"}, "Not a valid integer value"),
        ({"amount": "100", "reason": ""}, "Give a reason"),
        ({"amount": "10001", "reason": "big"}, "at most 10,000 credits"),
    ],
)
def test_grant_credits_refuses_bad_input(support_client, support, org, data, message):
    before = last_event_id()
    page = act(support_client, org, "credits", **data)
    assert message in page
    assert reload(org).credit_balance == 0
    assert LedgerEntry.select().count() == 0
    assert changes_since(support, before) == []


def test_superusers_may_grant_over_the_support_limit(superuser_client, superuser, org):
    before = last_event_id()
    act(superuser_client, org, "credits", amount="50000", reason="Enterprise deal")
    assert reload(org).credit_balance == 50_000
    only_event(superuser, before, "credits.granted")


def test_support_limit_follows_configuration(app, support_client, support, org):
    app.config["SUPPORT_GRANT_LIMIT"] = 100
    try:
        page = act(support_client, org, "credits", amount="101", reason="x")
    finally:
        app.config["SUPPORT_GRANT_LIMIT"] = 10_000
    assert "at most 100 credits" in page
    assert reload(org).credit_balance == 0


@pytest.mark.parametrize(
    ("action", "field", "on_label", "off_label", "event"),
    [
        (
            "api-access",
            "api_access_enabled",
            "Enable API access",
            "Disable API access",
            "api_access",
        ),
        ("embedding", "embedding_enabled", "Enable embedding", "Disable embedding", "embedding"),
    ],
)
def test_enable_and_disable(
    support_client, support, org, action, field, on_label, off_label, event
):
    before = last_event_id()
    page = act(support_client, org, action, enabled="1")
    assert getattr(reload(org), field) is True
    assert f">{off_label}</button>" in page
    only_event(support, before, f"organization.{event}_enabled")
    before = last_event_id()
    page = act(support_client, org, action, enabled="0")
    assert getattr(reload(org), field) is False
    assert f">{on_label}</button>" in page
    only_event(support, before, f"organization.{event}_disabled")


def test_enabling_twice_is_refused_with_a_message(support_client, support, org):
    act(support_client, org, "api-access", enabled="1")
    before = last_event_id()
    page = act(support_client, org, "api-access", enabled="1")
    assert "already like that" in page
    assert changes_since(support, before) == []


def test_suspend_and_reactivate(support_client, support, org):
    before = last_event_id()
    page = act(support_client, org, "suspend")
    assert reload(org).status == "suspended"
    assert ">Reactivate</button>" in page
    only_event(support, before, "organization.suspended")
    before = last_event_id()
    act(support_client, org, "reactivate")
    assert reload(org).status == "active"
    only_event(support, before, "organization.reactivated")


def test_assign_and_release_number(support_client, support, org):
    number = make_number(number="+14155550123")
    before = last_event_id()
    page = act(support_client, org, "assign-number", number=str(number.id))
    assert "+14155550123 assigned to Acme Robotics." in page
    assert reload(number).organization_id == org.id
    only_event(support, before, "number.assigned")
    before = last_event_id()
    page = act(support_client, org, "release-number", number=str(number.id))
    assert "released to the pool" in page
    number = reload(number)
    assert number.organization_id is None
    assert number.released_at is not None
    only_event(support, before, "number.released")


def test_assigning_a_taken_number_is_refused(support_client, support, org):
    other = make_org()
    number = make_number(other)
    before = last_event_id()
    page = act(support_client, org, "assign-number", number=str(number.id))
    assert "already assigned to another organization" in page
    assert reload(number).organization_id == other.id
    assert changes_since(support, before) == []


def test_releasing_another_organizations_number_is_refused(support_client, support, org):
    number = make_number(make_org())
    page = act(support_client, org, "release-number", number=str(number.id))
    assert "is not assigned to Acme Robotics" in page
    assert reload(number).organization_id is not None


def test_add_note(support_client, support, org):
    before = last_event_id()
    page = act(support_client, org, "note", body="Prefers phone calls.")
    assert "Prefers phone calls." in page
    (note,) = OrganizationNote.select()
    assert note.author_id == support.id
    only_event(support, before, "organization.note_added")


def test_empty_note_is_refused(support_client, support, org):
    page = act(support_client, org, "note", body="  ")
    assert "Write the note first." in page
    assert OrganizationNote.select().count() == 0


def test_list_search_by_name_id_billing_and_member_email(support_client, org):
    other = make_org(name="Globex Health", billing_email="ap@globex.example")
    make_member(org, email="grace@hopper.example")
    for term, expected in [
        ("robot", org),
        (org.public_id, org),
        ("ap@globex", other),
        ("grace@hopper", org),
    ]:
        page = support_client.get(f"/admin/organizations/?search={term}").get_data(as_text=True)
        hidden = other if expected is org else org
        assert expected.public_id in page, term
        assert hidden.public_id not in page, term


def test_list_filters(support_client, support, org):
    scale = make_plan(name="Scale")
    other = make_org(name="Globex Health")
    change_plan(Actor.staff(support), other, scale)
    Organization.update(status="suspended", embedding_enabled=True, api_access_enabled=True).where(
        Organization.id == other.id
    ).execute()
    for query in [f"flt0_0={scale.id}", "flt1_1=suspended", "flt2_2=1", "flt3_3=1"]:
        page = support_client.get(f"/admin/organizations/?{query}").get_data(as_text=True)
        assert other.public_id in page, query
        assert org.public_id not in page, query


def test_numbers_stay_unchanged_when_the_form_is_empty(support_client, org):
    page = act(support_client, org, "assign-number", number="")
    assert "Choose a number from the pool." in page
    assert PhoneNumber.select().where(PhoneNumber.organization == org).count() == 0
