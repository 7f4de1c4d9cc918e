"""Forms of the Settings tabs, labelled with the help page's words."""

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ..models.people import ROLE_ADMIN, ROLE_MEMBER

ROLE_CHOICES = {ROLE_ADMIN: "Admin", ROLE_MEMBER: "Member"}
NOTE_MAX = 2000


def _note(label="Note (optional)"):
    return TextAreaField(label, validators=[Optional(), Length(max=NOTE_MAX)])


class ProfileForm(FlaskForm):
    first_name = StringField(
        "First Name", validators=[DataRequired("Enter your first name."), Length(max=100)]
    )
    last_name = StringField(
        "Last Name", validators=[DataRequired("Enter your last name."), Length(max=100)]
    )
    email = EmailField(
        "Email Address", validators=[DataRequired("Enter your email address."), Length(max=254)]
    )
    phone = TelField("Phone Number", validators=[Optional(), Length(max=40)])
    current_password = PasswordField("Current password", validators=[Optional(), Length(max=256)])
    submit = SubmitField("Save Profile")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password."), Length(max=256)],
    )
    new_password = PasswordField(
        "New password", validators=[DataRequired("Enter a new password."), Length(max=256)]
    )
    submit = SubmitField("Change password")


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=256)]
    )
    submit = SubmitField("Confirm")


class LocaleForm(FlaskForm):
    # Choices come from services.locale; the service, not the form, refuses a bad value.
    country = SelectField("Country", validate_choice=False)
    currency = SelectField("Currency", validate_choice=False)
    timezone = SelectField("Timezone", validate_choice=False)
    submit = SubmitField("Save locale")


class PlanChangeForm(FlaskForm):
    plan = SelectField("Desired plan", validators=[Optional()])
    note = _note()
    submit = SubmitField("Request plan change")


class PlanRenewalForm(FlaskForm):
    note = _note()
    submit = SubmitField("Request renewal")


class OrgDetailsForm(FlaskForm):
    note = TextAreaField(
        "What should change?",
        validators=[DataRequired("Say what should change."), Length(max=NOTE_MAX)],
    )
    submit = SubmitField("Request details change")


class InviteForm(FlaskForm):
    email = EmailField(
        "Email Address",
        validators=[DataRequired("Enter the email address to invite."), Length(max=254)],
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default=ROLE_MEMBER)
    submit = SubmitField("Invite")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change role")


class NumberRequestForm(FlaskForm):
    direction = SelectField("Direction", choices={"outbound": "Outbound", "inbound": "Inbound"})
    note = _note()
    submit = SubmitField("Request a number")


class NumberRemovalForm(FlaskForm):
    number = SelectField("Number to remove")
    note = _note()
    submit = SubmitField("Request removal")


class AllowlistForm(FlaskForm):
    allowed_origins = TextAreaField("Allowed origins", validators=[Optional(), Length(max=20_000)])
    submit = SubmitField("Save allowlist")


class EmbeddingRequestForm(FlaskForm):
    note = _note()
    submit = SubmitField("Request embedding")


class ApiAccessRequestForm(FlaskForm):
    note = _note()
    submit = SubmitField("Request API access")


class GenerateKeyForm(FlaskForm):
    confirm = HiddenField()
