"""Organization tab: details, locale, plan and usage, and requests to the Intrlume team."""

import pytest

from backoffice.models import AuditEvent, Organization, SupportRequest, UsageCounter
from backoffice.services.agents import create_agent, update_agent
from backoffice.services.base import Actor
from backoffice.services.errors import ValidationFailed
from backoffice.services.locale import timezone_choices, update_locale

from ..factories import make_agent, make_plan
from .conftest import actions, text

SUPPORT_SENTENCE = (
    "To update organization details or renew/upgrade your plan, email "
    '<a href="mailto:admin@intrlume.tech">admin@intrlume.tech</a>.'
)


def test_everyone_sees_details_and_usage(member_client, team):
    page = text(member_client.get("/settings/organization"))
    assert "Acme Robotics" in page
    assert team.org.public_id in page
    assert team.org.billing_email in page
    assert team.org.created_at.strftime("%Y-%m-%d") in page
    assert "Calls this period" in page
    assert "Knowledge bases" in page
    assert SUPPORT_SENTENCE in page


def test_members_see_no_plan_credit_balance_or_locale_form(member_client, team):
    page = text(member_client.get("/settings/organization"))
    assert "Credit balance" not in page
    assert team.org.plan.name not in page
    assert 'name="country"' not in page
    assert "Request plan change" not in page
    assert "United States" in page  # the locale, read-only


def test_admins_see_plan_limits_period_balance_and_the_locale_form(admin_client, team):
    team.org.credit_balance = 123456
    team.org.save()
    page = text(admin_client.get("/settings/organization"))
    assert team.org.plan.name in page
    assert "123,456 credits" in page
    assert "0 of 5" in page  # agents against the plan's limit
    assert team.org.period_end.strftime("%Y-%m-%d") in page
    for label in ("Country", "Currency", "Timezone"):
        assert f">{label}</label>" in page
    assert '<option selected value="US">United States</option>' in page
    assert '<option selected value="USD">US Dollar (USD)</option>' in page
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in page
    assert 'value="Save locale"' in page
    assert 'value="Request plan change"' in page
    assert SUPPORT_SENTENCE in page


def test_usage_near_the_limit_is_a_warning(admin_client, team):
    UsageCounter.create(organization=team.org, metric="leads", value=900)  # limit 1000
    UsageCounter.create(organization=team.org, metric="campaigns", value=5)  # limit 5
    page = text(admin_client.get("/settings/organization"))
    assert "Near the limit" in page
    assert "bg-warning" in page
    assert "At the limit" in page
    assert "bg-danger" in page
    assert 'aria-valuenow="90"' in page


def test_saving_the_locale(admin_client, team):
    response = admin_client.post(
        "/settings/organization/locale",
        data={"country": "DE", "currency": "EUR", "timezone": "Europe/Berlin"},
    )
    assert response.status_code == 302
    org = Organization.get_by_id(team.org.id)
    assert (org.country, org.currency, org.timezone) == ("DE", "EUR", "Europe/Berlin")
    event = AuditEvent.get(AuditEvent.action == "organization.locale_changed")
    assert event.before == {"country": "US", "currency": "USD", "timezone": "UTC"}
    assert event.after == {"country": "DE", "currency": "EUR", "timezone": "Europe/Berlin"}
    assert event.organization_id == team.org.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"country": "XX", "currency": "EUR", "timezone": "UTC"}, "Choose a country"),
        ({"country": "DE", "currency": "EURO", "timezone": "UTC"}, "Choose a currency"),
        ({"country": "DE", "currency": "EUR", "timezone": "Mars/Olympus"}, "Choose a timezone"),
        ({"country": "DE", "currency": "EUR", "timezone": "US/Eastern"}, "Choose a timezone"),
        ({}, "Choose a country"),
    ],
)
def test_bad_locale_is_refused_and_nothing_saved(admin_client, team, data, message):
    response = admin_client.post("/settings/organization/locale", data=data)
    assert response.status_code == 422
    assert message in text(response)
    org = Organization.get_by_id(team.org.id)
    assert (org.country, org.currency, org.timezone) == ("US", "USD", "UTC")
    assert actions() == []


def test_locale_snapshot_on_agents(ctx, team):
    actor = Actor.user(team.admin)
    kept = create_agent(actor, team.org, "Before the change")
    edited = create_agent(actor, team.org, "Edited afterwards")
    update_locale(actor, team.org, "jp", "jpy", "Asia/Tokyo")
    created = create_agent(actor, team.org, "Created afterwards")
    update_agent(actor, edited, name="Edited afterwards")
    kept, edited, created = (type(kept).get_by_id(a.id) for a in (kept, edited, created))
    assert (kept.country, kept.currency, kept.timezone) == ("US", "USD", "UTC")
    assert (created.country, created.currency, created.timezone) == ("JP", "JPY", "Asia/Tokyo")
    assert (edited.country, edited.currency, edited.timezone) == ("JP", "JPY", "Asia/Tokyo")


def test_locale_service_refuses_each_bad_field_at_once(ctx, team):
    make_agent(team.org)
    with pytest.raises(ValidationFailed) as refused:
        update_locale(Actor.user(team.admin), team.org, "", "ZZZ", "Nowhere")
    assert set(refused.value.errors) == {"country", "currency", "timezone"}


def test_timezone_choices_are_iana_names():
    names = dict(timezone_choices())
    assert names["America/New_York"] == "America/New York"
    assert "UTC" in names
    assert "EST5EDT" not in names


def test_request_plan_change_files_one_request(app, admin_client, team):
    scale = make_plan(code="scale", name="Scale")
    response = admin_client.post(
        "/settings/organization/request-plan-change",
        data={"plan_change-plan": "scale", "plan_change-note": "From next month, please."},
    )
    assert response.status_code == 302
    request = SupportRequest.get()
    assert (request.kind, request.source, request.state) == ("plan_change", "settings", "open")
    assert request.requested_by_id == team.admin.id
    assert request.payload == {"plan": scale.code}
    assert "Desired plan: Scale" in request.details
    assert "From next month" in request.details
    page = text(admin_client.get("/settings/organization"))
    assert "Plan change requested." in page
    assert f"Requested on {request.created_at:%Y-%m-%d}, the Intrlume team is on it" in page
    assert actions() == ["request.filed"]

    again = admin_client.post("/settings/organization/request-plan-change", data={})
    assert again.status_code == 302
    assert "already been requested" in text(admin_client.get("/settings/organization"))
    assert SupportRequest.select().count() == 1


def test_request_renewal_and_details_change(admin_client, team):
    admin_client.post("/settings/organization/request-renewal", data={})
    admin_client.post(
        "/settings/organization/request-details-change",
        data={"details-note": "Billing email is now finance@acme.example"},
    )
    kinds = sorted(r.kind for r in SupportRequest.select())
    assert kinds == ["org_details", "plan_renewal"]


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        (
            "/settings/organization/request-plan-change",
            {"plan_change-plan": "no-such-plan"},
            "Not a valid choice",
        ),
        (
            "/settings/organization/request-plan-change",
            {"plan_change-note": "x" * 2001},
            "Field cannot be longer than 2000 characters.",
        ),
        ("/settings/organization/request-details-change", {}, "Say what should change."),
        (
            "/settings/organization/request-renewal",
            {"renewal-note": "x" * 2001},
            "Field cannot be longer than 2000 characters.",
        ),
    ],
)
def test_bad_requests_are_refused(admin_client, team, url, data, message):
    response = admin_client.post(url, data=data)
    assert response.status_code == 400
    assert message in text(response)
    assert SupportRequest.select().count() == 0
