"""The staff console: Flask-Admin at /admin/, built afresh for every app."""

from flask import g
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.theme import Bootstrap4Theme
from peewee import fn

from ..models import SupportRequest
from ..models.requests import UNRESOLVED_STATES
from ..services.requests import KIND_LABELS, open_first
from .base import ConsoleForm, ConsoleModelView, StaffAccessMixin
from .requests import STATE_LABELS, queue_query

__all__ = ["ConsoleForm", "ConsoleModelView", "StaffAccessMixin", "init_console"]

LANDING_ROWS = 50


class ConsoleHomeView(StaffAccessMixin, AdminIndexView):
    """The landing page: the queue's unresolved requests, oldest first."""

    @expose("/")
    def index(self):
        unresolved = SupportRequest.state.in_(UNRESOLVED_STATES)
        counts = dict(
            SupportRequest.select(SupportRequest.kind, fn.COUNT(SupportRequest.id))
            .where(unresolved)
            .group_by(SupportRequest.kind)
            .tuples()
        )
        rows = list(open_first(queue_query().where(unresolved)).limit(LANDING_ROWS))
        return self.render(
            "console/index.html",
            rows=rows,
            counts=counts,
            total=sum(counts.values()),
            kind_labels=KIND_LABELS,
            state_labels=STATE_LABELS,
        )


def init_console(app) -> Admin:
    """Mount a new Admin on app; a module-level Admin would break with several apps."""
    from ..models import (
        Agent,
        AuditEvent,
        Call,
        LedgerEntry,
        Organization,
        PhoneNumber,
        Plan,
        StaffUser,
        User,
    )
    from .mail_views import MailTriageView
    from .numbers import PhoneNumberView
    from .organizations import OrganizationView
    from .plans import PlanView
    from .records import AgentView, AuditView, CallView, LedgerView, UserView
    from .requests import RequestView
    from .staff import StaffUserView

    admin = Admin(
        app,
        name="Intrlume Console",
        url="/admin",
        index_view=ConsoleHomeView(url="/admin", name="Home"),
        theme=Bootstrap4Theme(base_template="console/master.html", swatch="default", fluid=True),
        csp_nonce_generator=lambda: g.get("csp_nonce", ""),
    )
    admin.add_view(
        RequestView(SupportRequest, name="Requests", endpoint="requests", url="/admin/requests")
    )
    admin.add_view(
        OrganizationView(
            Organization, name="Organizations", endpoint="organizations", url="/admin/organizations"
        )
    )
    admin.add_view(
        PhoneNumberView(PhoneNumber, name="Phone numbers", endpoint="numbers", url="/admin/numbers")
    )
    admin.add_view(PlanView(Plan, name="Plans", endpoint="plans", url="/admin/plans"))
    admin.add_view(
        UserView(User, name="Users", endpoint="users", url="/admin/users", category="Records")
    )
    admin.add_view(
        LedgerView(
            LedgerEntry, name="Ledger", endpoint="ledger", url="/admin/ledger", category="Records"
        )
    )
    admin.add_view(
        AgentView(Agent, name="Agents", endpoint="agents", url="/admin/agents", category="Records")
    )
    admin.add_view(
        CallView(Call, name="Calls", endpoint="calls", url="/admin/calls", category="Records")
    )
    admin.add_view(AuditView(AuditEvent, name="Audit log", endpoint="audit", url="/admin/audit"))
    admin.add_view(StaffUserView(StaffUser, name="Staff", endpoint="staff", url="/admin/staff"))
    admin.add_view(
        MailTriageView(name="Mail triage", endpoint="mail_triage", url="/admin/mail-triage")
    )
    return admin
