"""Organizations: a searchable list, and a page per organization with every staff action."""

from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.peewee.filters import BooleanEqualFilter, FilterEqual
from markupsafe import Markup
from peewee import JOIN

from ..models import (
    Agent,
    ApiKey,
    AuditEvent,
    Invitation,
    LedgerEntry,
    Membership,
    Organization,
    OrganizationNote,
    PhoneNumber,
    Plan,
    StaffUser,
    SupportRequest,
    User,
)
from ..models.organizations import ORG_STATUSES
from ..models.people import INVITATION_PENDING
from ..models.requests import UNRESOLVED_STATES
from ..permissions import staff_actor
from ..services import ledger, numbers, organizations
from ..services.errors import ServiceError
from ..services.organizations import grant_limit_for
from ..services.requests import KIND_LABELS
from ..services.usage import usage_for
from .base import ConsoleModelView, QueryOptionsFilter, flash_form_errors, flash_refusal
from .forms import DetailsForm, EmptyForm, GrantForm, NoteForm, NumberForm, PlanForm, ToggleForm
from .helpers import when_column

AUDIT_PAGE_SIZE = 25
LEDGER_SHOWN = 15
AGENTS_SHOWN = 50
POOL_CHOICES_MAX = 500


def _plan_options():
    return [(str(p.id), p.name) for p in Plan.select(Plan.id, Plan.name).order_by(Plan.name)]


def _name_link(view, context, model, name):
    url = url_for("organizations.detail", public_id=model.public_id)
    return Markup('<a href="{}">{}</a>').format(url, model.name)


class OrganizationView(ConsoleModelView):
    """Every organization, searchable by name, ID, billing email and member email."""

    search_hint = "Name, org ID, billing or member email"

    column_list = (
        "name",
        "public_id",
        "billing_email",
        "plan",
        "status",
        "credit_balance",
        "api_access_enabled",
        "embedding_enabled",
        "created_at",
    )
    column_labels = {
        "public_id": "ID",
        "credit_balance": "Credits",
        "api_access_enabled": "API access",
        "embedding_enabled": "Embedding",
        "created_at": "Member since",
    }
    column_sortable_list = ("name", "created_at", "credit_balance")
    column_searchable_list = (
        Organization.name,
        Organization.public_id,
        Organization.billing_email,
    )
    column_filters = (
        QueryOptionsFilter(Organization.plan, "Plan", options=_plan_options),
        FilterEqual(Organization.status, "Status", options=[(s, s) for s in ORG_STATUSES]),
        BooleanEqualFilter(Organization.embedding_enabled, "Embedding"),
        BooleanEqualFilter(Organization.api_access_enabled, "API access"),
    )
    column_formatters = {"name": _name_link, "created_at": when_column}
    joined_models = frozenset({"Plan"})

    def get_query(self):
        return Organization.select(Organization, Plan).join(Plan, JOIN.LEFT_OUTER)

    def default_order(self, query):
        return query.order_by(Organization.name, Organization.id)

    def search_clause(self, term):
        members = (
            Membership.select(Membership.organization).join(User).where(User.email.contains(term))
        )
        return super().search_clause(term) | Organization.id.in_(members)

    def _load(self, public_id: str) -> Organization:
        organization = (
            Organization.select(Organization, Plan)
            .join(Plan, JOIN.LEFT_OUTER)
            .where(Organization.public_id == public_id)
            .first()
        )
        if organization is None:
            abort(404)
        return organization

    @expose("/<public_id>/")
    def detail(self, public_id):
        organization = self._load(public_id)
        audit_page = max(request.args.get("audit_page", 0, type=int), 0)
        audit_rows = list(
            AuditEvent.select()
            .where(AuditEvent.organization == organization)
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
            .limit(AUDIT_PAGE_SIZE + 1)
            .offset(audit_page * AUDIT_PAGE_SIZE)
        )
        plan_form = PlanForm(formdata=None)
        plan_form.plan.choices = {
            str(p.id): f"{p.name} ({p.code})" for p in Plan.select().order_by(Plan.name)
        }
        if organization.plan_id:
            plan_form.plan.data = str(organization.plan_id)
        assign_form = NumberForm(formdata=None)
        assign_form.number.choices = {
            str(n.id): f"{n.number} · {n.direction} · {n.monthly_cost} credits/month"
            for n in numbers.free_numbers().limit(POOL_CHOICES_MAX)
        }
        org_numbers = list(
            PhoneNumber.select()
            .where(PhoneNumber.organization == organization)
            .order_by(PhoneNumber.number)
        )
        release_form = NumberForm(formdata=None)
        release_form.number.choices = {str(n.id): n.number for n in org_numbers}
        details_form = DetailsForm(formdata=None, obj=organization)
        return self.render(
            "console/organization.html",
            organization=organization,
            usage=usage_for(organization),
            members=list(
                Membership.select(Membership, User)
                .join(User)
                .where(Membership.organization == organization)
                .order_by(User.email)
            ),
            invitations=list(
                Invitation.select()
                .where(
                    Invitation.organization == organization,
                    Invitation.state == INVITATION_PENDING,
                )
                .order_by(Invitation.created_at.desc())
            ),
            org_numbers=org_numbers,
            agents=list(
                Agent.select()
                .where(Agent.organization == organization)
                .order_by(Agent.created_at.desc())
                .limit(AGENTS_SHOWN)
            ),
            agent_count=Agent.select().where(Agent.organization == organization).count(),
            api_keys=list(
                ApiKey.select(
                    ApiKey.id,
                    ApiKey.prefix,
                    ApiKey.last_four,
                    ApiKey.created_at,
                    ApiKey.last_used_at,
                    ApiKey.revoked_at,
                )
                .where(ApiKey.organization == organization)
                .order_by(ApiKey.created_at.desc())
                .limit(5)
            ),
            ledger=list(
                LedgerEntry.select()
                .where(LedgerEntry.organization == organization)
                .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
                .limit(LEDGER_SHOWN)
            ),
            open_requests=list(
                SupportRequest.select()
                .where(
                    SupportRequest.organization == organization,
                    SupportRequest.state.in_(UNRESOLVED_STATES),
                )
                .order_by(SupportRequest.created_at)
            ),
            kind_labels=KIND_LABELS,
            audit_rows=audit_rows[:AUDIT_PAGE_SIZE],
            audit_page=audit_page,
            audit_more=len(audit_rows) > AUDIT_PAGE_SIZE,
            notes=list(
                OrganizationNote.select(OrganizationNote, StaffUser)
                .join(StaffUser)
                .where(OrganizationNote.organization == organization)
                .order_by(OrganizationNote.created_at.desc())
            ),
            details_form=details_form,
            plan_form=plan_form,
            grant_form=GrantForm(formdata=None),
            assign_form=assign_form,
            release_form=release_form,
            note_form=NoteForm(formdata=None),
            grant_limit=grant_limit_for(g.staff),
        )

    @expose("/<public_id>/<action>", methods=["POST"])
    def act(self, public_id, action):
        """Run one staff action posted from the organization's page, then go back to it."""
        organization = self._load(public_id)
        handler = ACTIONS.get(action)
        if handler is None:
            abort(404)
        form_class, perform = handler
        form = form_class()
        back = redirect(url_for(".detail", public_id=organization.public_id))
        if not form.validate():
            flash_form_errors(form)
            return back
        try:
            message = perform(form, organization)
        except ServiceError as exc:
            flash_refusal(exc)
            return back
        flash(message, "success")
        return back


def _row_id(value) -> int | None:
    """A posted row id, or None when it isn't one (not ASCII digits, or too big for a key)."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def _number_of(form) -> PhoneNumber | None:
    number_id = _row_id(form.number.data)
    return None if number_id is None else PhoneNumber.get_or_none(PhoneNumber.id == number_id)


def _edit_details(form, organization):
    organizations.update_details(
        staff_actor(), organization, form.name.data, form.billing_email.data
    )
    return "Details saved."


def _change_plan(form, organization):
    plan_id = _row_id(form.plan.data)
    plan = None if plan_id is None else Plan.get_or_none(Plan.id == plan_id)
    organizations.change_plan(staff_actor(), organization, plan)
    return f"{organization.name} is now on the {plan.name} plan."


def _renew_plan(form, organization):
    ledger.renew_plan(staff_actor(), organization)
    return "Plan renewed and its included credits added."


def _grant_credits(form, organization):
    organizations.grant_credits(
        staff_actor(), organization, g.staff, form.amount.data, form.reason.data
    )
    return f"{form.amount.data:,} credits granted."


def _toggle(setter, what):
    def perform(form, organization):
        enabled = form.enabled.data == "1"
        setter(staff_actor(), organization, enabled)
        return f"{what} {'enabled' if enabled else 'disabled'}."

    return perform


def _assign_number(form, organization):
    number = _number_of(form)
    numbers.assign_number(staff_actor(), number, organization)
    return f"{number.number} assigned to {organization.name}."


def _release_number(form, organization):
    number = _number_of(form)
    numbers.release_number(staff_actor(), number, organization)
    return f"{number.number} released to the pool."


def _suspend(form, organization):
    organizations.suspend(staff_actor(), organization)
    return f"{organization.name} is suspended."


def _reactivate(form, organization):
    organizations.reactivate(staff_actor(), organization)
    return f"{organization.name} is active again."


def _add_note(form, organization):
    organizations.add_note(staff_actor(), organization, g.staff, form.body.data)
    return "Note added."


ACTIONS = {
    "details": (DetailsForm, _edit_details),
    "plan": (PlanForm, _change_plan),
    "renew": (EmptyForm, _renew_plan),
    "credits": (GrantForm, _grant_credits),
    "api-access": (ToggleForm, _toggle(organizations.set_api_access, "API access")),
    "embedding": (ToggleForm, _toggle(organizations.set_embedding, "Embedding")),
    "assign-number": (NumberForm, _assign_number),
    "release-number": (NumberForm, _release_number),
    "suspend": (EmptyForm, _suspend),
    "reactivate": (EmptyForm, _reactivate),
    "note": (NoteForm, _add_note),
}
