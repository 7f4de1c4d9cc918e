"""The staff sign-in for the console, kept apart from any customer session."""

from flask import (
    Blueprint,
    flash,
    g,
    redirect,
    session,
    url_for,
)

from ..permissions import SESSION_STAFF, client_ip, load_staff
from ..services import accounts
from ..services.base import Actor
from .forms import StaffLoginForm
from .signin import login_form_answer, rate_limited

bp = Blueprint("staff_auth", __name__, url_prefix="/admin")


def _sign_in_staff(staff, form) -> None:
    # A staff session never carries a customer identity, and the reverse.
    session.clear()
    session.permanent = True
    session[SESSION_STAFF] = f"{staff.id}:{staff.session_token}"
    accounts.record_login(Actor.staff(staff, client_ip()), staff)


@bp.route("/login", methods=["GET", "POST"])
@rate_limited
def login():
    return login_form_answer(
        StaffLoginForm(),
        accounts.authenticate_staff,
        _sign_in_staff,
        "auth/staff_login.html",
        url_for("admin.index"),
    )


@bp.route("/logout", methods=["POST"])
def logout():
    staff = load_staff()
    if staff is not None:
        accounts.end_all_sessions(Actor.staff(staff, client_ip()), staff)
    session.clear()
    g.pop("staff", None)
    flash("You have been logged out of the console.", "info")
    return redirect(url_for("staff_auth.login"))
