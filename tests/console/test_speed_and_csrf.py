"""List pages cost a fixed number of queries; every console POST needs the CSRF token."""

import re

import pytest

from backoffice.models import AuditEvent, Organization, SupportRequest
from backoffice.services import ledger
from backoffice.services.base import Actor
from backoffice.services.requests import file_request

from ..conftest import another_app
from ..factories import (
    PASSWORD,
    make_admin,
    make_agent,
    make_member,
    make_number,
    make_org,
    make_staff,
)
from .conftest import counting_queries

LISTS = [
    "/admin/",
    "/admin/requests/",
    "/admin/organizations/",
    "/admin/ledger/",
    "/admin/audit/",
    "/admin/users/",
    "/admin/numbers/",
    "/admin/agents/",
    "/admin/calls/",
]


def add_rows(count, staff):
    """count organizations, each with members, a request, a number, an agent, ledger rows."""
    for _ in range(count):
        org = make_org()
        admin = make_admin(org)
        make_member(org)
        file_request(Actor.user(admin), org, "enable_api_access", requested_by=admin)
        make_number(org)
        make_agent(org)
        ledger.grant_credits(Actor.staff(staff), org, 100, "welcome")


def queries_for(client, url) -> int:
    with counting_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(counter.statements)


@pytest.mark.parametrize("url", LISTS)
def test_list_pages_make_a_fixed_number_of_queries(support_client, support, url):
    add_rows(2, support)
    few = queries_for(support_client, url)
    add_rows(12, support)
    many = queries_for(support_client, url)
    assert many == few, url
    assert few <= 8, url


@pytest.mark.parametrize("url", ["/admin/ledger/", "/admin/audit/"])
def test_huge_lists_skip_the_count(support_client, support, url):
    add_rows(1, support)
    with counting_queries() as counter:
        support_client.get(url)
    assert not any(re.search(r"\bCOUNT\(", sql.upper()) for sql in counter.statements)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def csrf_client(app, ctx):
    with another_app(app, WTF_CSRF_ENABLED=True) as strict_app:
        yield strict_app.test_client()


def staff_login_with_token(client, staff):
    page = client.get("/admin/login").get_data(as_text=True)
    response = client.post(
        "/admin/login",
        data={"email": staff.email, "password": PASSWORD, "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302


def test_actions_without_the_token_are_refused_and_with_it_work(csrf_client):
    org = make_org()
    admin = make_admin(org)
    request = file_request(Actor.user(admin), org, "enable_api_access", requested_by=admin)
    staff_login_with_token(csrf_client, make_staff())
    organization_url = f"/admin/organizations/{org.public_id}/"

    response = csrf_client.post(organization_url + "suspend")
    assert response.status_code == 400
    response = csrf_client.post(f"/admin/requests/{request.public_id}/fulfil", data={})
    assert response.status_code == 400
    response = csrf_client.post("/admin/numbers/new/", data={"number": "+14155550123"})
    assert response.status_code == 400
    assert Organization.get_by_id(org.id).status == "active"
    assert SupportRequest.get_by_id(request.id).state == "open"
    assert (
        not AuditEvent.select()
        .where(AuditEvent.actor_type == "staff", AuditEvent.action != "staff.logged_in")
        .exists()
    )

    page = csrf_client.get(organization_url).get_data(as_text=True)
    response = csrf_client.post(organization_url + "suspend", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert Organization.get_by_id(org.id).status == "suspended"

    page = csrf_client.get(f"/admin/requests/{request.public_id}/").get_data(as_text=True)
    response = csrf_client.post(
        f"/admin/requests/{request.public_id}/fulfil", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    assert SupportRequest.get_by_id(request.id).state == "done"


def test_flask_admin_forms_carry_the_token(csrf_client):
    staff_login_with_token(csrf_client, make_staff())
    page = csrf_client.get("/admin/numbers/new/").get_data(as_text=True)
    response = csrf_client.post(
        "/admin/numbers/new/",
        data={
            "csrf_token": csrf_token(page),
            "number": "+14155550123",
            "direction": "inbound",
            "monthly_cost": "500",
        },
    )
    assert response.status_code == 302
    list_page = csrf_client.get("/admin/numbers/").get_data(as_text=True)
    assert "+14155550123" in list_page
