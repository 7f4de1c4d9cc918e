"""Organizations: creation and the details staff and admins change."""

from flask import current_app

from ..db import locked
from ..models import Organization, OrganizationNote, Plan, StaffUser
from ..models.organizations import ORG_ACTIVE, ORG_SUSPENDED
from . import ledger
from .accounts import normalize_email
from .base import Actor, audit, changes, operation
from .errors import Conflict, NotFound, ValidationFailed
from .members import invite_member
from .periods import start_period

NOTE_MAX = 5000


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


def _locked_organization(organization: Organization) -> Organization:
    """The organization's row re-read under a lock, so concurrent staff changes queue up."""
    return locked(Organization.select().where(Organization.id == organization.id)).get()


def _change(actor: Actor, organization: Organization, action: str, values: dict) -> Organization:
    """Apply values to the organization and audit what changed; refuses a change to nothing."""
    organization = _locked_organization(organization)
    before, after = changes(organization, values)
    if not after:
        raise Conflict("Nothing to change: the organization is already like that.")
    organization.save(only=[getattr(Organization, name) for name in after])
    audit(actor, action, organization, organization, before=before, after=after)
    return organization


@operation
def update_details(
    actor: Actor, organization: Organization, name: str, billing_email: str
) -> Organization:
    """Change the organization's name and billing email (what customers ask staff for)."""
    name = (name or "").strip()
    errors = {}
    if not name or len(name) > 200:
        errors["name"] = "Enter a name of 1 to 200 characters."
    try:
        billing_email = normalize_email(billing_email, field="billing_email")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return _change(
        actor,
        organization,
        "organization.details_changed",
        {"name": name, "billing_email": billing_email},
    )


@operation
def change_plan(actor: Actor, organization: Organization, plan: Plan | None) -> Organization:
    """Move the organization to another plan, starting a fresh period on it."""
    if plan is None:
        raise ValidationFailed({"plan": "Choose a plan."})
    organization = _locked_organization(organization)
    if organization.plan_id == plan.id:
        raise Conflict(f"{organization.name} is already on the {plan.name} plan.", field="plan")
    before = {"plan": organization.plan.code if organization.plan else None}
    organization.plan = plan
    start_period(organization, plan)
    organization.save(only=[Organization.plan, Organization.period_start, Organization.period_end])
    after = {
        "plan": plan.code,
        "period_start": organization.period_start,
        "period_end": organization.period_end,
    }
    audit(actor, "plan.changed", organization, organization, before=before, after=after)
    return organization


@operation
def set_api_access(actor: Actor, organization: Organization, enabled: bool) -> Organization:
    """Turn the organization's server-to-server API access on or off."""
    action = "organization.api_access_enabled" if enabled else "organization.api_access_disabled"
    return _change(actor, organization, action, {"api_access_enabled": bool(enabled)})


@operation
def set_embedding(actor: Actor, organization: Organization, enabled: bool) -> Organization:
    """Turn web-agent embedding on or off for the organization."""
    action = "organization.embedding_enabled" if enabled else "organization.embedding_disabled"
    return _change(actor, organization, action, {"embedding_enabled": bool(enabled)})


@operation
def suspend(actor: Actor, organization: Organization) -> Organization:
    """Suspend the organization: its API keys and widget stop working until reactivated."""
    return _change(actor, organization, "organization.suspended", {"status": ORG_SUSPENDED})


@operation
def reactivate(actor: Actor, organization: Organization) -> Organization:
    """Lift a suspension."""
    return _change(actor, organization, "organization.reactivated", {"status": ORG_ACTIVE})


@operation
def add_note(actor: Actor, organization: Organization, author: StaffUser, body: str):
    """Keep a free-text staff note on the organization."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"body": "Write the note first."})
    if len(body) > NOTE_MAX:
        raise ValidationFailed({"body": f"Keep a note under {NOTE_MAX:,} characters."})
    note = OrganizationNote.create(organization=organization, author=author, body=body)
    audit(actor, "organization.note_added", organization, note, after={"body": body[:500]})
    return note


def grant_limit_for(staff: StaffUser) -> int | None:
    """The most credits this staff member may grant at once (None: no limit)."""
    return None if staff.is_superuser else current_app.config["SUPPORT_GRANT_LIMIT"]


def grant_credits(actor: Actor, organization: Organization, staff: StaffUser, amount, reason: str):
    """Grant credits through the ledger, within what the staff member's role may grant at once."""
    return ledger.grant_credits(
        actor, organization, amount, reason, max_amount=grant_limit_for(staff)
    )
