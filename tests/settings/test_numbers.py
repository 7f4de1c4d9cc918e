"""Phone Numbers tab: the organization's numbers, their cost, and requests to add or remove one."""

import pytest

from backoffice.models import SupportRequest

from ..factories import make_number
from .conftest import actions, text


@pytest.fixture
def numbers(team):
    return [
        make_number(team.org, number="+14155550101", direction="inbound", monthly_cost=300),
        make_number(team.org, number="+14155550102", direction="outbound", monthly_cost=500),
        make_number(team.other_org, number="+14155550199", direction="outbound"),
        make_number(None, number="+14155550150"),
    ]


def test_members_see_numbers_costs_and_total(member_client, numbers):
    page = text(member_client.get("/settings/numbers"))
    assert "+1 415-555-0101" in page
    assert "+1 415-555-0102" in page
    assert "+1 415-555-0199" not in page
    assert "+1 415-555-0150" not in page
    assert "Inbound numbers" in page
    assert "Outbound numbers" in page
    assert "Total monthly cost: 800 credits" in page
    assert 'To add or remove numbers, email <a href="mailto:admin@intrlume.tech">' in page
    assert "Request a number" not in page
    assert "Request removal" not in page


def test_admin_requests_a_number(admin_client, numbers, team):
    page = text(admin_client.get("/settings/numbers"))
    assert 'value="Request a number"' in page
    response = admin_client.post(
        "/settings/numbers/request", data={"add-direction": "inbound", "add-note": "For support"}
    )
    assert response.status_code == 302
    request = SupportRequest.get()
    assert (request.kind, request.payload, request.source) == (
        "number_add",
        {"direction": "inbound"},
        "settings",
    )
    assert "For support" in request.details
    page = text(admin_client.get("/settings/numbers"))
    assert "Add a phone number requested." in page
    assert "the Intrlume team is on it" in page
    assert "admin@intrlume.tech" in page
    second = admin_client.post("/settings/numbers/request", data={"add-direction": "outbound"})
    assert second.status_code == 302
    assert "already been requested" in text(admin_client.get("/settings/numbers"))
    assert SupportRequest.select().count() == 1
    assert actions() == ["request.filed"]


def test_admin_requests_removal_of_a_chosen_number(admin_client, numbers):
    page = text(admin_client.get("/settings/numbers"))
    assert '<option value="+14155550102">+1 415-555-0102 (outbound)</option>' in page
    response = admin_client.post(
        "/settings/numbers/request-removal", data={"removal-number": "+14155550102"}
    )
    assert response.status_code == 302
    request = SupportRequest.get()
    assert request.kind == "number_remove"
    assert request.payload == {"number": "+14155550102"}


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/settings/numbers/request", {"add-direction": "sideways"}, "Not a valid choice"),
        (
            "/settings/numbers/request",
            {"add-direction": "inbound", "add-note": "x" * 2001},
            "Field cannot be longer than 2000 characters.",
        ),
        (
            "/settings/numbers/request-removal",
            {"removal-number": "+14155550199"},  # another organization's number
            "Not a valid choice",
        ),
        ("/settings/numbers/request-removal", {}, "Not a valid choice"),
    ],
)
def test_bad_number_requests_are_refused(admin_client, numbers, url, data, message):
    response = admin_client.post(url, data=data)
    assert response.status_code == 400
    assert message in text(response)
    assert SupportRequest.select().count() == 0
