"""The staff sign-in for the console, kept apart from any customer session."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from ..extensions import limiter
from ..permissions import SESSION_STAFF, client_ip, load_staff
from ..redirects import safe_next
from ..services import accounts
from ..services.base import Actor
from .customer import GENERIC_LOGIN_ERROR, _email_key
from .forms import StaffLoginForm

bp = Blueprint("staff_auth", __name__, url_prefix="/admin")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_EMAIL_RATE_LIMIT"], methods=["POST"], key_func=_email_key
)
def login():
    form = StaffLoginForm()
    if form.validate_on_submit():
        staff = accounts.authenticate_staff(form.email.data, form.password.data)
        if staff is not None:
            # A staff session never carries a customer identity, and the reverse.
            session.clear()
            session.permanent = True
            session[SESSION_STAFF] = f"{staff.id}:{staff.session_token}"
            accounts.record_login(Actor.staff(staff, client_ip()), staff)
            return redirect(safe_next(request.args.get("next"), url_for("admin.index")))
        form.password.errors.append(GENERIC_LOGIN_ERROR)
        return render_template("auth/staff_login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("auth/staff_login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    staff = load_staff()
    if staff is not None:
        accounts.end_all_sessions(Actor.staff(staff, client_ip()), staff)
    session.clear()
    g.pop("staff", None)
    flash("You have been logged out of the console.", "info")
    return redirect(url_for("staff_auth.login"))
