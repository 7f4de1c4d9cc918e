"""Customer sign-in, sign-out, password reset, invitations and the organization switcher."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from ..permissions import (
    SESSION_ORG,
    client_ip,
    current_membership,
    memberships_of,
    start_session,
    user_actor,
)
from ..redirects import safe_next
from ..services import accounts, members
from ..services.base import Actor
from ..services.errors import ServiceError
from .errors import show_service_error
from .forms import (
    AcceptInvitationForm,
    ForgotPasswordForm,
    JoinOrganizationForm,
    LoginForm,
    ResetPasswordForm,
)
from .signin import login_form_answer, rate_limited

bp = Blueprint("auth", __name__)

RESET_SENT = "If an account exists for that address, we have sent it a link to reset the password."


def _sign_in(user, remember=False) -> None:
    start_session()
    login_user(user, remember=remember)
    accounts.record_login(Actor.user(user, client_ip()), user)


@bp.route("/login", methods=["GET", "POST"])
@rate_limited
def login():
    return login_form_answer(
        LoginForm(),
        accounts.authenticate,
        lambda user, form: _sign_in(user, remember=form.remember.data),
        "auth/login.html",
        url_for("settings.profile"),
    )


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        accounts.end_all_sessions(user_actor(), current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have been logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@rate_limited
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data, client_ip())
        flash(RESET_SENT, "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        accounts.user_for_reset_token(token)
    except ServiceError as exc:
        return render_template("auth/link_problem.html", message=exc.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data, client_ip())
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            logout_user()
            session.clear()
            flash("Your password has been changed. Log in with the new one.", "success")
            return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return render_template("auth/reset_password.html", form=form), status


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    try:
        invitation = members.invitation_for_token(token)
    except ServiceError as exc:
        return render_template("auth/link_problem.html", message=exc.message), 410
    signed_in = current_user.is_authenticated
    if signed_in and current_user.email != invitation.email:
        message = (
            f"This invitation is for {invitation.email}, but you are logged in as "
            f"{current_user.email}. Log out and open the link again."
        )
        return render_template("auth/link_problem.html", message=message), 403
    form = JoinOrganizationForm() if signed_in else AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            if signed_in:
                user, membership = members.accept_invitation(
                    token, user=current_user._get_current_object(), ip=client_ip()
                )
            else:
                user, membership = members.accept_invitation(
                    token,
                    first_name=form.first_name.data,
                    last_name=form.last_name.data,
                    password=form.password.data,
                    ip=client_ip(),
                )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            if not signed_in:
                _sign_in(user)
            session[SESSION_ORG] = membership.organization.public_id
            flash(f"Welcome to {membership.organization.name}.", "success")
            return redirect(url_for("settings.profile"))
    status = 400 if request.method == "POST" else 200
    return (
        render_template("auth/accept_invitation.html", form=form, invitation=invitation),
        status,
    )


@bp.route("/switch-organization", methods=["POST"])
def switch_organization():
    if not current_user.is_authenticated:
        abort(401)
    wanted = request.form.get("organization", "")
    membership = next(
        (m for m in memberships_of(current_user) if m.organization.public_id == wanted), None
    )
    if membership is None:
        abort(404)
    session[SESSION_ORG] = wanted
    return redirect(safe_next(request.form.get("next"), url_for("settings.profile")))


@bp.route("/no-organization")
def no_organization():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_membership() is not None:
        return redirect(url_for("settings.profile"))
    return render_template("auth/no_organization.html")
