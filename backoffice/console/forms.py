"""The console's small action forms; services do the checking, these only parse."""

from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from ..models.requests import REQUEST_KINDS
from ..services.requests import KIND_LABELS, STAFF_SOURCES
from .base import ConsoleForm


class NoteForm(ConsoleForm):
    body = TextAreaField("Note")


class DetailsForm(ConsoleForm):
    name = StringField("Name")
    billing_email = StringField("Billing email")


class PlanForm(ConsoleForm):
    plan = SelectField("Plan", choices={}, validate_choice=False)


class EmptyForm(ConsoleForm):
    """A button with nothing to fill in: only the CSRF token travels."""


class ToggleForm(ConsoleForm):
    enabled = HiddenField()


class GrantForm(ConsoleForm):
    amount = IntegerField("Credits", validators=[Optional()])
    reason = StringField("Reason")


class NumberForm(ConsoleForm):
    number = SelectField("Number", choices={}, validate_choice=False)


class FulfilForm(ConsoleForm):
    plan = SelectField("Plan", choices={}, validate_choice=False)
    number = SelectField("Number", choices={}, validate_choice=False)
    name = StringField("Name")
    billing_email = StringField("Billing email")
    note = TextAreaField("Resolution note (mailed to the requester)")


class RejectForm(ConsoleForm):
    reason = TextAreaField("Reason (mailed to the requester)")


class LogRequestForm(ConsoleForm):
    organization = StringField("Organization ID", description="org_…")
    kind = SelectField("Kind", choices={k: KIND_LABELS[k] for k in REQUEST_KINDS})
    source = SelectField(
        "Arrived by",
        choices={s: {"email": "Email", "staff": "Phone / staff"}[s] for s in STAFF_SOURCES},
    )
    requester_email = StringField("Requester's email")
    details = TextAreaField("Details")


class AssignNumberForm(ConsoleForm):
    organization = StringField("Organization ID", description="org_…")


class StaffCreateForm(ConsoleForm):
    email = StringField("Email")
    name = StringField("Name")
    role = SelectField("Role", choices={"support": "Support", "superuser": "Superuser"})
    password = PasswordField("Password")


class StaffEditForm(ConsoleForm):
    role = SelectField("Role", choices={"support": "Support", "superuser": "Superuser"})
    is_active = BooleanField("Active")
