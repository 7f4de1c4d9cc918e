"""The console's services called directly: the rules they keep and the events they write."""

import pytest

from backoffice.models import AuditEvent, Plan, StaffUser
from backoffice.services import numbers, organizations, plans, requests, staff
from backoffice.services.base import Actor
from backoffice.services.errors import Conflict, ServiceError, ValidationFailed

from ..factories import make_number, make_org, make_plan, make_staff


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("+1 (415) 555-0123", "+14155550123"), (" +44 20 7946 0958 ", "+442079460958")],
)
def test_numbers_are_stored_in_e164(ctx, raw, expected):
    assert numbers.normalize_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "0207 946 0958", "+999 123", "call me", "+1415555012345678"])
def test_bad_numbers_are_refused(ctx, raw):
    with pytest.raises(ValidationFailed):
        numbers.normalize_number(raw)


def test_grant_limit_depends_on_the_role(ctx):
    org = make_org()
    support, root = make_staff("support"), make_staff("superuser")
    with pytest.raises(ValidationFailed, match="at most 10,000"):
        organizations.grant_credits(Actor.staff(support), org, support, 10_001, "too much")
    organizations.grant_credits(Actor.staff(support), org, support, 10_000, "the most")
    organizations.grant_credits(Actor.staff(root), org, root, 90_000, "a superuser may")
    assert type(org).get_by_id(org.id).credit_balance == 100_000
    assert AuditEvent.select().where(AuditEvent.action == "credits.granted").count() == 2


def test_staff_cannot_deactivate_themselves(ctx):
    root, other = make_staff("superuser"), make_staff("superuser")
    with pytest.raises(Conflict, match="your own account"):
        staff.set_active(Actor.staff(root), root, False)
    staff.set_active(Actor.staff(root), other, False)
    assert StaffUser.get_by_id(other.id).is_active is False
    with pytest.raises(Conflict, match="last active superuser"):
        staff.change_role(Actor.staff(other), root, "support")


def test_deactivating_ends_the_staff_sessions(ctx):
    root, member = make_staff("superuser"), make_staff("support")
    token = member.session_token
    staff.set_active(Actor.staff(root), member, False)
    assert StaffUser.get_by_id(member.id).session_token != token


def test_plan_values_are_checked_together(ctx):
    with pytest.raises(ValidationFailed) as refused:
        plans.create_plan(Actor.system(), {"code": "Bad Code", "name": "", "price": "x"})
    assert {"code", "name", "price", "max_agents"} <= set(refused.value.errors)
    assert Plan.select().count() == 0


def test_plan_in_use_is_kept(ctx):
    plan = make_plan()
    make_org(plan=plan)
    with pytest.raises(Conflict, match="1 organizations are on it"):
        plans.delete_plan(Actor.system(), plan)
    assert Plan.get_or_none(Plan.id == plan.id) is not None


def test_fulfilling_needs_an_organization_except_for_other(ctx):
    support = make_staff()
    unlinked = requests.file_request(
        Actor.system("mail"), None, "enable_api_access", source="email"
    )
    with pytest.raises(Conflict, match="Link this request"):
        requests.fulfil_request(Actor.staff(support), unlinked, support)
    other = requests.file_request(Actor.system("mail"), None, "other", source="email")
    requests.fulfil_request(Actor.staff(support), other, support, "Answered by phone.")
    assert type(other).get_by_id(other.id).state == "done"


def test_log_request_checks_source_and_email(ctx):
    org = make_org()
    actor = Actor.staff(make_staff())
    with pytest.raises(ValidationFailed, match="email or staff"):
        requests.log_request(actor, org, "other", "", "settings")
    with pytest.raises(ValidationFailed, match="valid email"):
        requests.log_request(actor, org, "other", "", "email", "not an address")


def test_releasing_a_pooled_number_is_refused(ctx):
    number = make_number()
    with pytest.raises(ServiceError, match="already in the pool"):
        numbers.release_number(Actor.system(), number)
