"""Phone numbers: the pool and every assignment; add to the pool, assign, release."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.peewee.filters import FilterEmpty, FilterEqual
from markupsafe import Markup
from peewee import JOIN
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Optional

from ..auth.errors import show_service_error
from ..models import Organization, PhoneNumber
from ..models.numbers import NUMBER_DIRECTIONS
from ..permissions import staff_actor
from ..services import numbers
from ..services.errors import ServiceError
from .base import ConsoleForm, ConsoleModelView, flash_refusal
from .forms import AssignNumberForm, EmptyForm
from .helpers import org_column, organization_in_field, when_column


class AddNumberForm(ConsoleForm):
    number = StringField("Number", description="E.164, e.g. +14155550123")
    direction = SelectField("Direction", choices={d: d for d in NUMBER_DIRECTIONS})
    monthly_cost = IntegerField("Monthly cost (credits)", validators=[Optional()])


def _number_link(view, context, model, name):
    url = url_for("numbers.detail", number_id=model.id)
    return Markup('<a href="{}">{}</a>').format(url, model.number)


class PhoneNumberView(ConsoleModelView):
    """Numbers in the pool (no organization) and assigned ones."""

    search_hint = "Number, organization name or ID"

    can_create = True
    form = AddNumberForm
    column_list = ("number", "direction", "monthly_cost", "organization", "assigned_at")
    column_labels = {"monthly_cost": "Monthly cost (credits)", "organization": "Assigned to"}
    column_sortable_list = ("number", "assigned_at")
    column_searchable_list = (PhoneNumber.number, Organization.name, Organization.public_id)
    column_filters = (
        FilterEmpty(PhoneNumber.organization, "In the pool"),
        FilterEqual(
            PhoneNumber.direction, "Direction", options=[(d, d) for d in NUMBER_DIRECTIONS]
        ),
    )
    column_formatters = {
        "number": _number_link,
        "organization": org_column,
        "assigned_at": when_column,
    }
    joined_models = frozenset({"Organization"})

    def get_query(self):
        return PhoneNumber.select(PhoneNumber, Organization).join(Organization, JOIN.LEFT_OUTER)

    def default_order(self, query):
        return query.order_by(PhoneNumber.number)

    def create_model(self, form):
        try:
            return numbers.add_number(
                staff_actor(), form.number.data, form.direction.data, form.monthly_cost.data
            )
        except ServiceError as exc:
            show_service_error(form, exc)
            return False

    def _load(self, number_id: int) -> PhoneNumber:
        number = self.get_query().where(PhoneNumber.id == number_id).first()
        if number is None:
            abort(404)
        return number

    @expose("/<int:number_id>/", methods=["GET", "POST"])
    def detail(self, number_id):
        number = self._load(number_id)
        form = AssignNumberForm()
        if request.method == "POST" and form.validate():
            organization = organization_in_field(form.organization)
            if organization is not None:
                try:
                    numbers.assign_number(staff_actor(), number, organization)
                except ServiceError as exc:
                    show_service_error(form, exc)
                else:
                    flash(f"{number.number} assigned to {organization.name}.", "success")
                    return redirect(url_for(".detail", number_id=number.id))
        status = 400 if request.method == "POST" else 200
        return self.render(
            "console/number.html", number=number, form=form, release_form=EmptyForm(formdata=None)
        ), status

    @expose("/<int:number_id>/release", methods=["POST"])
    def release(self, number_id):
        number = self._load(number_id)
        try:
            numbers.release_number(staff_actor(), number)
        except ServiceError as exc:
            flash_refusal(exc)
        else:
            flash(f"{number.number} is back in the pool.", "success")
        return redirect(url_for(".detail", number_id=number.id))
