"""Organizations: creation and the details staff and admins change."""

from ..models import Organization, Plan
from .accounts import normalize_email
from .base import Actor, audit, operation
from .errors import NotFound, ValidationFailed
from .members import invite_member
from .periods import start_period


def plan_by_code(code: str) -> Plan:
    plan = Plan.get_or_none(Plan.code == code)
    if plan is None:
        raise NotFound(f"There is no plan with the code {code!r}.", code="unknown_plan")
    return plan


@operation
def create_organization(
    actor: Actor, name: str, billing_email: str, admin_email: str, plan_code: str | None = None
) -> tuple[Organization, str]:
    """Create an organization and invite its first admin; returns it and the invitation link."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationFailed({"name": "Enter a name of 1 to 200 characters."})
    billing_email = normalize_email(billing_email, field="billing_email")
    plan = plan_by_code(plan_code) if plan_code else None
    organization = Organization(name=name, billing_email=billing_email, plan=plan)
    if plan is not None:
        start_period(organization, plan)
    organization.save()
    audit(
        actor,
        "organization.created",
        organization,
        organization,
        after={"name": name, "billing_email": billing_email, "plan": plan_code},
    )
    _, link = invite_member(actor, organization, admin_email, "admin")
    return organization, link
