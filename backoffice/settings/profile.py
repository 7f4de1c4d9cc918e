"""Profile tab: a person's own details and password."""

from flask import flash, g, redirect, render_template, session, url_for
from flask_login import current_user, login_user

from ..permissions import SESSION_ORG, member_required, start_session, user_actor
from ..services import accounts
from ..services import profile as profiles
from ..services.errors import ServiceError
from ..services.profile import format_phone
from .forms import ChangePasswordForm, ProfileForm
from .views import bp, service_refused

CHANGE_FORM_PREFIX = "change"


def _saved_profile_form() -> ProfileForm:
    user = current_user
    return ProfileForm(
        formdata=None,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        phone=format_phone(user.phone),
    )


def _page(profile_form=None, password_form=None) -> str:
    return render_template(
        "settings/profile.html",
        profile_form=profile_form or _saved_profile_form(),
        password_form=password_form or ChangePasswordForm(prefix=CHANGE_FORM_PREFIX, formdata=None),
    )


@bp.route("/profile")
@member_required
def profile():
    return _page()


@bp.route("/profile", methods=["POST"])
@member_required
def profile_save():
    form = ProfileForm()
    if not form.validate_on_submit():
        return _page(profile_form=form), 400
    try:
        profiles.update_profile(
            user_actor(),
            current_user._get_current_object(),
            first_name=form.first_name.data,
            last_name=form.last_name.data,
            email=form.email.data,
            phone=form.phone.data,
            current_password=form.current_password.data or "",
            region=g.org.country,
        )
    except ServiceError as exc:
        return service_refused(_page, "profile_form", form, exc)
    flash("Your profile has been saved.", "success")
    return redirect(url_for("settings.profile"))


@bp.route("/profile/password", methods=["POST"])
@member_required
def profile_password():
    form = ChangePasswordForm(prefix=CHANGE_FORM_PREFIX)
    if not form.validate_on_submit():
        return _page(password_form=form), 400
    user = current_user._get_current_object()
    try:
        accounts.change_password(
            user_actor(), user, form.current_password.data, form.new_password.data
        )
    except ServiceError as exc:
        return service_refused(_page, "password_form", form, exc)
    # The change rotated the session token, ending every other session; start this one afresh.
    organization = session.get(SESSION_ORG)
    start_session()
    login_user(user)
    if organization:
        session[SESSION_ORG] = organization
    flash("Your password has been changed. Other devices have been signed out.", "success")
    return redirect(url_for("settings.profile"))
