"""Read-only lists support looks things up in: users, ledger, agents, calls, the audit log."""

from flask_admin.contrib.peewee.filters import DateTimeBetweenFilter, FilterEqual, FilterLike
from markupsafe import Markup, escape
from peewee import JOIN

from ..models import Agent, AuditEvent, Call, LedgerEntry, Membership, Organization, User
from ..models.audit import ACTOR_KINDS
from .base import ConsoleModelView
from .helpers import json_column, org_column, org_link, when_column


class UserView(ConsoleModelView):
    """Customer users with the organizations they belong to and their role in each."""

    search_hint = "Email or name"

    column_list = (
        "email",
        "first_name",
        "last_name",
        "phone",
        "organizations",
        "is_active",
        "last_login_at",
    )
    column_labels = {
        "is_active": "Active",
        "last_login_at": "Last login",
        "organizations": "Organizations (role)",
    }
    column_searchable_list = ("email", "first_name", "last_name")
    column_sortable_list = ("email", "last_login_at")

    def default_order(self, query):
        return query.order_by(User.email)

    def after_fetch(self, rows):
        memberships: dict[int, list] = {row.id: [] for row in rows}
        if rows:
            query = (
                Membership.select(Membership, Organization)
                .join(Organization)
                .where(Membership.user.in_(list(memberships)))
                .order_by(Organization.name)
            )
            for membership in query:
                memberships[membership.user_id].append(membership)
        for row in rows:
            row.membership_list = memberships[row.id]

    column_formatters = {
        "organizations": lambda v, c, m, n: Markup("<br>").join(
            Markup("{} ({})").format(org_link(ms.organization), ms.role)
            for ms in getattr(m, "membership_list", [])
        ),
        "last_login_at": when_column,
    }


class LedgerView(ConsoleModelView):
    """Every ledger entry, newest first; read-only (entries are append-only)."""

    search_hint = "Call ID, agent ID, org ID or name"

    simple_list_pager = True
    column_list = (
        "created_at",
        "organization",
        "kind",
        "call_id",
        "agent_id",
        "phone_number",
        "duration_seconds",
        "credits",
        "balance_after",
        "description",
    )
    column_labels = {"duration_seconds": "Duration (s)", "call_id": "Call", "agent_id": "Agent"}
    column_searchable_list = (LedgerEntry.call_id, LedgerEntry.agent_id, Organization.public_id)
    column_formatters = {"organization": org_column, "created_at": when_column}
    joined_models = frozenset({"Organization"})

    def get_query(self):
        return LedgerEntry.select(LedgerEntry, Organization).join(Organization)

    def search_clause(self, term):
        # IDs are matched exactly, so the indexes answer at any size (a LIKE would scan).
        if term.startswith("call_"):
            return LedgerEntry.call_id == term
        if term.startswith("agent_"):
            return LedgerEntry.agent_id == term
        if term.startswith("org_"):
            return Organization.public_id == term
        orgs = Organization.select(Organization.id).where(Organization.name.contains(term))
        return (LedgerEntry.call_id == term) | LedgerEntry.organization.in_(orgs)

    def default_order(self, query):
        return query.order_by(LedgerEntry.id.desc())


class AgentView(ConsoleModelView):
    """Agents with their organization and locale snapshot."""

    search_hint = "Agent name or ID, organization"
    column_list = (
        "name",
        "public_id",
        "organization",
        "country",
        "currency",
        "timezone",
        "created_at",
    )
    column_searchable_list = (
        Agent.name,
        Agent.public_id,
        Organization.name,
        Organization.public_id,
    )
    column_formatters = {"organization": org_column, "created_at": when_column}
    joined_models = frozenset({"Organization"})

    def get_query(self):
        return Agent.select(Agent, Organization).join(Organization)


class CallView(ConsoleModelView):
    """Calls, newest first, with their organization and agent."""

    search_hint = "Call ID, agent ID or org ID"
    simple_list_pager = True
    column_list = (
        "public_id",
        "started_at",
        "organization",
        "agent",
        "duration_seconds",
        "direction",
        "from_number",
        "to_number",
    )
    column_labels = {"public_id": "Call", "duration_seconds": "Duration (s)"}
    column_searchable_list = (Call.public_id,)
    column_formatters = {"organization": org_column, "started_at": when_column}
    joined_models = frozenset({"Organization", "Agent"})

    def get_query(self):
        return Call.select(Call, Organization, Agent).join(Organization).switch(Call).join(Agent)

    def search_clause(self, term):
        if term.startswith("call_"):
            return Call.public_id == term
        if term.startswith("agent_"):
            return Agent.public_id == term
        if term.startswith("org_"):
            return Organization.public_id == term
        return Call.public_id == term

    def default_order(self, query):
        return query.order_by(Call.id.desc())


def _actor_column(view, context, model, name):
    return Markup("{} <span class='text-muted'>({})</span>").format(
        model.actor_label or "—", model.actor_type
    )


class AuditView(ConsoleModelView):
    """Who did what, when, to which organization, with the values before and after."""

    simple_list_pager = True
    column_list = (
        "created_at",
        "actor",
        "organization",
        "action",
        "target",
        "before",
        "after",
        "ip_address",
    )
    column_labels = {"created_at": "When", "actor": "Who", "action": "What", "ip_address": "IP"}
    column_filters = (
        FilterEqual(Organization.public_id, "Organization ID"),
        FilterLike(AuditEvent.actor_label, "Actor"),
        FilterEqual(AuditEvent.actor_type, "Actor kind", options=[(k, k) for k in ACTOR_KINDS]),
        FilterEqual(AuditEvent.action, "Action"),
        FilterLike(AuditEvent.action, "Action"),
        DateTimeBetweenFilter(AuditEvent.created_at, "When"),
    )
    column_formatters = {
        "created_at": when_column,
        "actor": _actor_column,
        "organization": org_column,
        "target": lambda v, c, m, n: (
            Markup("{} <code>{}</code>").format(m.target_type, escape(m.target_id))
            if m.target_type
            else ""
        ),
        "before": json_column,
        "after": json_column,
    }
    joined_models = frozenset({"Organization"})

    def get_query(self):
        return AuditEvent.select(AuditEvent, Organization).join(Organization, JOIN.LEFT_OUTER)

    def default_order(self, query):
        return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
