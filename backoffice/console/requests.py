"""The support queue: the console's landing page, a page per request, fulfil / reject / assign."""

from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.peewee.filters import FilterEqual
from markupsafe import Markup
from peewee import JOIN

from ..auth.errors import show_service_error
from ..models import (
    LedgerEntry,
    Organization,
    PhoneNumber,
    Plan,
    StaffUser,
    SupportRequest,
)
from ..models.requests import REQUEST_KINDS, REQUEST_SOURCES, REQUEST_STATES, UNRESOLVED_STATES
from ..permissions import load_staff, staff_actor
from ..services import numbers, requests
from ..services.api_keys import active_key
from ..services.errors import ServiceError
from ..services.requests import KIND_LABELS
from ..services.usage import usage_for
from .base import ConsoleModelView, QueryOptionsFilter, flash_form_errors, flash_refusal
from .forms import FulfilForm, LogRequestForm, RejectForm
from .helpers import org_column, organization_in_field, when_column

STATE_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "done": "Done",
    "rejected": "Rejected",
}
SOURCE_LABELS = {"settings": "Settings button", "email": "Email", "staff": "Phone / staff"}
POOL_CHOICES_MAX = 500


def queue_query():
    """Requests with their organization and assignee, in one query."""
    return (
        SupportRequest.select(SupportRequest, Organization, StaffUser)
        .join(Organization, JOIN.LEFT_OUTER)
        .switch(SupportRequest)
        .join(StaffUser, JOIN.LEFT_OUTER, on=SupportRequest.assignee)
    )


def _staff_options():
    return [(str(s.id), s.email) for s in StaffUser.select().order_by(StaffUser.email)]


def _request_link(view, context, model, name):
    url = url_for("requests.detail", public_id=model.public_id)
    return Markup('<a href="{}">{}</a>').format(url, KIND_LABELS.get(model.kind, model.kind))


def _details_column(view, context, model, name):
    text = model.details or ""
    return text if len(text) <= 90 else text[:89] + "…"


class RequestView(ConsoleModelView):
    """The queue: open requests first, oldest first."""

    search_hint = "Organization name or ID, request ID"

    column_list = (
        "kind",
        "organization",
        "state",
        "source",
        "assignee",
        "requester_email",
        "details",
        "created_at",
    )
    column_labels = {"kind": "Request", "requester_email": "Requester", "created_at": "Filed"}
    column_sortable_list = ("created_at", "kind", "state")
    column_searchable_list = (Organization.name, Organization.public_id, SupportRequest.public_id)
    column_filters = (
        FilterEqual(
            SupportRequest.kind, "Kind", options=[(k, KIND_LABELS[k]) for k in REQUEST_KINDS]
        ),
        FilterEqual(
            SupportRequest.state, "State", options=[(s, STATE_LABELS[s]) for s in REQUEST_STATES]
        ),
        FilterEqual(
            SupportRequest.source,
            "Source",
            options=[(s, SOURCE_LABELS[s]) for s in REQUEST_SOURCES],
        ),
        QueryOptionsFilter(SupportRequest.assignee, "Assignee", options=_staff_options),
    )
    column_formatters = {
        "kind": _request_link,
        "organization": org_column,
        "state": lambda v, c, m, n: STATE_LABELS.get(m.state, m.state),
        "source": lambda v, c, m, n: SOURCE_LABELS.get(m.source, m.source),
        "details": _details_column,
        "created_at": when_column,
    }
    joined_models = frozenset({"Organization", "StaffUser"})

    def get_query(self):
        return queue_query()

    def default_order(self, query):
        return requests.open_first(query)

    def list_links(self):
        return [("Log a request", url_for(".log_request"))]

    def _load(self, public_id: str) -> SupportRequest:
        row = queue_query().where(SupportRequest.public_id == public_id).first()
        if row is None:
            abort(404)
        return row

    @expose("/<public_id>/")
    def detail(self, public_id):
        item = self._load(public_id)
        return self.render("console/request.html", **self._page(item))

    def _page(self, item: SupportRequest, fulfil_form=None, reject_form=None) -> dict:
        organization = item.organization
        fulfil_form = fulfil_form or self._fulfil_form(item)
        context = {
            "item": item,
            "organization": organization,
            "kind_label": KIND_LABELS.get(item.kind, item.kind),
            "state_labels": STATE_LABELS,
            "source_labels": SOURCE_LABELS,
            "unresolved": item.state in UNRESOLVED_STATES,
            "fulfil_form": fulfil_form,
            "reject_form": reject_form or RejectForm(formdata=None),
            "staff": load_staff(),
        }
        if organization is not None:
            context.update(
                usage=usage_for(organization),
                active_key=active_key(organization),
                org_numbers=list(
                    PhoneNumber.select()
                    .where(PhoneNumber.organization == organization)
                    .order_by(PhoneNumber.number)
                ),
                last_entry=LedgerEntry.select()
                .where(LedgerEntry.organization == organization)
                .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
                .first(),
            )
        return context

    def _fulfil_form(self, item: SupportRequest, formdata=None) -> FulfilForm:
        payload = item.payload or {}
        organization = item.organization
        form = FulfilForm(formdata=formdata)
        form.plan.choices = {
            p.code: f"{p.name} ({p.code})" for p in Plan.select().order_by(Plan.name)
        }
        if item.kind == "number_add":
            form.number.choices = {
                n.number: f"{n.number} · {n.direction} · {n.monthly_cost} credits/month"
                for n in numbers.free_numbers(payload.get("direction")).limit(POOL_CHOICES_MAX)
            }
        elif item.kind == "number_remove" and organization is not None:
            form.number.choices = {
                n.number: f"{n.number} · {n.direction}"
                for n in PhoneNumber.select()
                .where(PhoneNumber.organization == organization)
                .order_by(PhoneNumber.number)
            }
        if formdata is None:
            if payload.get("plan"):
                form.plan.data = payload["plan"]
            if payload.get("number"):
                form.number.data = payload["number"]
            if organization is not None:
                form.name.data = payload.get("name") or organization.name
                form.billing_email.data = payload.get("billing_email") or organization.billing_email
        return form

    def _back(self, item):
        return redirect(url_for(".detail", public_id=item.public_id))

    @expose("/<public_id>/fulfil", methods=["POST"])
    def fulfil(self, public_id):
        item = self._load(public_id)
        form = self._fulfil_form(item, formdata=request.form)
        if not form.validate():
            flash_form_errors(form)
            return self._back(item)
        choices = {}
        if item.kind == "plan_change":
            choices["plan"] = Plan.get_or_none(Plan.code == form.plan.data)
        elif item.kind in ("number_add", "number_remove"):
            choices["number"] = PhoneNumber.get_or_none(PhoneNumber.number == form.number.data)
        elif item.kind == "org_details":
            choices.update(name=form.name.data, billing_email=form.billing_email.data)
        try:
            requests.fulfil_request(staff_actor(), item, g.staff, form.note.data, **choices)
        except ServiceError as exc:
            flash_refusal(exc)
            return self._back(item)
        flash(f"{KIND_LABELS[item.kind]} done; the requester has been told by mail.", "success")
        return self._back(item)

    @expose("/<public_id>/reject", methods=["POST"])
    def reject(self, public_id):
        item = self._load(public_id)
        form = RejectForm()
        try:
            requests.reject_request(staff_actor(), item, g.staff, form.reason.data)
        except ServiceError as exc:
            flash_refusal(exc)
            return self._back(item)
        flash("Request rejected; the requester has been told why by mail.", "success")
        return self._back(item)

    @expose("/<public_id>/assign", methods=["POST"])
    def assign(self, public_id):
        item = self._load(public_id)
        try:
            requests.assign_request(staff_actor(), item, g.staff)
        except ServiceError as exc:
            flash_refusal(exc)
            return self._back(item)
        flash("The request is assigned to you.", "success")
        return self._back(item)

    @expose("/log", methods=["GET", "POST"])
    def log_request(self):
        form = LogRequestForm()
        if request.method == "GET" and request.args.get("org"):
            form.organization.data = request.args["org"]
        if request.method == "POST" and form.validate():
            organization = organization_in_field(form.organization)
            if organization is not None:
                try:
                    item = requests.log_request(
                        staff_actor(),
                        organization,
                        form.kind.data,
                        form.details.data,
                        form.source.data,
                        form.requester_email.data,
                    )
                except ServiceError as exc:
                    show_service_error(form, exc)
                else:
                    flash("The request is in the queue.", "success")
                    return redirect(url_for(".detail", public_id=item.public_id))
        status = 400 if request.method == "POST" else 200
        return self.render("console/log_request.html", form=form), status
