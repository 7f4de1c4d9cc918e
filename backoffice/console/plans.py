"""Plans and their limits (superusers only); a plan in use can't be deleted."""

from flask import flash
from wtforms import DecimalField, IntegerField, StringField
from wtforms.validators import Optional

from ..auth.errors import show_service_error
from ..models import Plan
from ..permissions import staff_actor
from ..services import plans
from ..services.errors import ServiceError
from .base import ConsoleForm, ConsoleModelView, flash_refusal


def _count(label):
    return IntegerField(label, validators=[Optional()])


class PlanEditForm(ConsoleForm):
    code = StringField("Code", description="lower-case, e.g. growth")
    name = StringField("Name")
    max_agents = _count("Agents")
    max_calls_per_period = _count("Calls per period")
    max_knowledge_bases = _count("Knowledge bases")
    max_campaigns = _count("Campaigns")
    max_leads = _count("Leads")
    max_integrations = _count("Integrations")
    included_credits = _count("Credits included per period")
    price = DecimalField("Price", places=2, validators=[Optional()])
    currency = StringField("Currency", default="USD")
    period_months = IntegerField("Period (months)", default=1, validators=[Optional()])


class PlanView(ConsoleModelView):
    """Create and edit plans; delete only one nobody is on."""

    superuser_only = True
    can_create = True
    can_edit = True
    can_delete = True
    action_disallowed_list = ("delete",)
    form = PlanEditForm
    column_list = (
        "code",
        "name",
        "max_agents",
        "max_calls_per_period",
        "max_knowledge_bases",
        "max_campaigns",
        "max_leads",
        "max_integrations",
        "included_credits",
        "price",
        "currency",
        "period_months",
    )
    column_labels = {
        "max_agents": "Agents",
        "max_calls_per_period": "Calls",
        "max_knowledge_bases": "KBs",
        "max_campaigns": "Campaigns",
        "max_leads": "Leads",
        "max_integrations": "Integrations",
        "included_credits": "Credits",
        "period_months": "Months",
    }

    def default_order(self, query):
        return query.order_by(Plan.price, Plan.id)

    def _values(self, form) -> dict:
        return {name: form[name].data for name in plans.FIELDS}

    def create_model(self, form):
        try:
            return plans.create_plan(staff_actor(), self._values(form))
        except ServiceError as exc:
            show_service_error(form, exc)
            return False

    def update_model(self, form, model):
        try:
            plans.update_plan(staff_actor(), model, self._values(form))
        except ServiceError as exc:
            show_service_error(form, exc)
            return False
        return True

    def delete_model(self, model):
        try:
            plans.delete_plan(staff_actor(), model)
        except ServiceError as exc:
            flash_refusal(exc)
            return False
        return True

    def after_model_change(self, form, model, is_created):
        flash(f"Plan {model.name} saved.", "success")
