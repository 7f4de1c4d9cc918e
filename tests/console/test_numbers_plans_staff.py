"""Phone numbers pool, plans (superusers) and staff accounts (superusers)."""

import pytest

from backoffice.models import AuditEvent, PhoneNumber, Plan, StaffUser

from ..conftest import staff_login
from ..factories import PASSWORD, make_number, make_org, make_plan, make_staff
from .conftest import changes_since, last_event_id


def reload(model):
    return type(model).get_by_id(model.id)


def test_add_number_to_the_pool(support_client, support):
    before = last_event_id()
    response = support_client.post(
        "/admin/numbers/new/",
        data={"number": "+44 20 7946 0958", "direction": "inbound", "monthly_cost": "700"},
    )
    assert response.status_code == 302
    number = PhoneNumber.get()
    assert (number.number, number.direction, number.monthly_cost) == (
        "+442079460958",
        "inbound",
        700,
    )
    assert number.organization_id is None
    (event,) = changes_since(support, before)
    assert event.action == "number.added"
    page = support_client.get("/admin/numbers/").get_data(as_text=True)
    assert "+442079460958" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "12345", "direction": "inbound", "monthly_cost": "5"}, "E.164"),
        (
            {"number": "+1 000 000 0000", "direction": "inbound", "monthly_cost": "5"},
            "not a valid phone number",
        ),
        (
            {"number": "+14155550123", "direction": "inbound", "monthly_cost": "-1"},
            "whole number of credits",
        ),
        (
            {"number": "+14155550123", "direction": "inbound", "monthly_cost": ""},
            "whole number of credits",
        ),
        (
            {"number": "+14155550999", "direction": "outbound", "monthly_cost": "5"},
            "already in the console",
        ),
    ],
)
def test_add_number_refuses_bad_input(support_client, support, data, message):
    make_number(number="+14155550999")
    before = last_event_id()
    response = support_client.post("/admin/numbers/new/", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert PhoneNumber.select().count() == 1
    assert changes_since(support, before) == []


def test_assign_and_release_from_the_numbers_page(support_client, support):
    org = make_org(name="Initech")
    number = make_number()
    before = last_event_id()
    response = support_client.post(
        f"/admin/numbers/{number.id}/", data={"organization": org.public_id}
    )
    assert response.status_code == 302
    assert reload(number).organization_id == org.id
    page = support_client.get(f"/admin/numbers/{number.id}/").get_data(as_text=True)
    assert "Initech" in page
    assert ">Release number</button>" in page
    support_client.post(f"/admin/numbers/{number.id}/release")
    assert reload(number).organization_id is None
    assert [e.action for e in changes_since(support, before)] == [
        "number.assigned",
        "number.released",
    ]


def test_assigning_a_taken_number_from_the_numbers_page_is_refused(support_client, support):
    owner = make_org()
    number = make_number(owner)
    before = last_event_id()
    response = support_client.post(
        f"/admin/numbers/{number.id}/", data={"organization": make_org().public_id}
    )
    assert response.status_code == 400
    assert "already assigned" in response.get_data(as_text=True)
    assert reload(number).organization_id == owner.id
    assert changes_since(support, before) == []


def test_assigning_to_an_unknown_organization_says_so(support_client):
    number = make_number()
    response = support_client.post(f"/admin/numbers/{number.id}/", data={"organization": "org_x"})
    assert response.status_code == 400
    assert "There is no organization org_x." in response.get_data(as_text=True)


def test_pool_filter_and_search(support_client):
    free = make_number(number="+14155550601")
    taken = make_number(make_org(name="Hooli"), number="+14155550602")
    page = support_client.get("/admin/numbers/?flt0_0=1").get_data(as_text=True)
    assert free.number in page
    assert taken.number not in page
    page = support_client.get("/admin/numbers/?search=hooli").get_data(as_text=True)
    assert taken.number in page
    assert free.number not in page


PLAN_FORM = {
    "code": "pro",
    "name": "Pro",
    "max_agents": "7",
    "max_calls_per_period": "2000",
    "max_knowledge_bases": "3",
    "max_campaigns": "4",
    "max_leads": "5000",
    "max_integrations": "0",
    "included_credits": "20000",
    "price": "149.00",
    "currency": "usd",
    "period_months": "1",
}


def test_superuser_creates_and_edits_a_plan(superuser_client, superuser):
    before = last_event_id()
    response = superuser_client.post("/admin/plans/new/", data=PLAN_FORM)
    assert response.status_code == 302
    plan = Plan.get(Plan.code == "pro")
    assert (plan.max_agents, plan.max_integrations, plan.currency) == (7, 0, "USD")
    response = superuser_client.post(
        f"/admin/plans/edit/?id={plan.id}", data={**PLAN_FORM, "max_agents": "9"}
    )
    assert response.status_code == 302
    assert reload(plan).max_agents == 9
    events = changes_since(superuser, before)
    assert [e.action for e in events] == ["plan.created", "plan.updated"]
    assert events[1].before == {"max_agents": 7}


def test_plan_form_refuses_bad_limits(superuser_client):
    response = superuser_client.post("/admin/plans/new/", data={**PLAN_FORM, "max_agents": "-1"})
    assert "Enter a whole number, 0 or more." in response.get_data(as_text=True)
    assert Plan.select().count() == 0


def test_a_plan_in_use_cannot_be_deleted(superuser_client, superuser):
    org = make_org()
    response = superuser_client.post("/admin/plans/delete/", data={"id": org.plan_id})
    assert response.status_code == 302
    page = superuser_client.get("/admin/plans/").get_data(as_text=True)
    assert "can&#39;t be deleted: 1 organizations are on it" in page
    assert Plan.get_or_none(Plan.id == org.plan_id) is not None


def test_an_unused_plan_can_be_deleted(superuser_client, superuser):
    plan = make_plan()
    superuser_client.post("/admin/plans/delete/", data={"id": plan.id})
    assert Plan.get_or_none(Plan.id == plan.id) is None
    assert AuditEvent.get(AuditEvent.action == "plan.deleted").actor_id == superuser.id


def test_superuser_creates_staff(superuser_client, superuser):
    response = superuser_client.post(
        "/admin/staff/new/",
        data={"email": "New@Intrlume.tech", "name": "Nia", "role": "support", "password": PASSWORD},
    )
    assert response.status_code == 302
    created = StaffUser.get(StaffUser.email == "new@intrlume.tech")
    assert created.role == "support"
    assert AuditEvent.get(AuditEvent.action == "staff.created").actor_id == superuser.id


def test_staff_creation_refuses_a_weak_password(superuser_client):
    response = superuser_client.post(
        "/admin/staff/new/",
        data={"email": "weak@intrlume.tech", "role": "support", "password": "short"},
    )
    assert StaffUser.get_or_none(StaffUser.email == "weak@intrlume.tech") is None
    assert response.status_code == 200


def test_change_role_and_deactivate(app, superuser_client, superuser):
    member = make_staff("support")
    other_client = app.test_client()
    staff_login(other_client, member)
    before = last_event_id()
    response = superuser_client.post(
        f"/admin/staff/edit/?id={member.id}", data={"role": "superuser", "is_active": "y"}
    )
    assert response.status_code == 302
    assert reload(member).role == "superuser"
    superuser_client.post(f"/admin/staff/edit/?id={member.id}", data={"role": "superuser"})
    member = reload(member)
    assert member.is_active is False
    assert [e.action for e in changes_since(superuser, before)] == [
        "staff.role_changed",
        "staff.deactivated",
    ]
    assert other_client.get("/admin/").status_code == 302


def test_the_last_superuser_stays(superuser_client, superuser):
    response = superuser_client.post(
        f"/admin/staff/edit/?id={superuser.id}", data={"role": "support", "is_active": "y"}
    )
    assert "last active superuser" in response.get_data(as_text=True)
    assert reload(superuser).role == "superuser"
