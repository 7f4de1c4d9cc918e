"""Settings pages: thin views that load, check, call one service and render.

This module holds the blueprint, the tabs and what the tabs share; each tab's views live in
their own module, imported at the bottom so they register on the blueprint.
"""

import functools
import time

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
from flask_login import current_user

from ..auth.errors import show_service_error
from ..clock import to_local
from ..extensions import limiter
from ..permissions import (
    SESSION_AUTHENTICATED,
    login_is_fresh,
    member_required,
    user_actor,
)
from ..redirects import safe_next
from ..services import accounts
from ..services import requests as support_requests
from ..services.errors import Conflict, ServiceError, ValidationFailed
from ..services.profile import format_phone
from .forms import ConfirmPasswordForm

bp = Blueprint("settings", __name__, url_prefix="/settings")

# (endpoint, label, admin only) in the help page's order.
TABS = [
    ("settings.profile", "Profile", False),
    ("settings.organization", "Organization", False),
    ("settings.members", "Members", False),
    ("settings.numbers", "Phone Numbers", False),
    ("settings.web_agent", "Web Agent", False),
    ("settings.api_keys", "API keys", True),
    ("settings.billing", "Billing", True),
]


@bp.context_processor
def _tabs():
    return {"settings_tabs": TABS}


def tab_is_active(endpoint: str) -> bool:
    """Whether the page being shown belongs to the tab of endpoint (its views share the name)."""
    current = request.endpoint or ""
    return current == endpoint or current.startswith(endpoint + "_")


@bp.app_context_processor
def _tab_helpers():
    return {"tab_is_active": tab_is_active}


@bp.app_template_filter("org_time")
def org_time(value, fmt="%Y-%m-%d %H:%M") -> str:
    """A stored UTC time shown in the current organization's timezone."""
    if value is None:
        return ""
    org = g.get("org")
    timezone = org.timezone if org is not None else "UTC"
    return to_local(value, timezone).strftime(fmt)


@bp.app_template_filter("phone")
def phone(value) -> str:
    return format_phone(value)


@bp.route("/")
@member_required
def index():
    return redirect(url_for("settings.profile"))


def fresh_login_required(return_endpoint: str):
    """Send a person whose sign-in is not recent to confirm their password, then back."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not login_is_fresh():
                flash("For your security, confirm your password to continue.", "info")
                return redirect(url_for("settings.confirm_password", next=url_for(return_endpoint)))
            return view(*args, **kwargs)

        return wrapper

    return decorator


@bp.route("/confirm-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@member_required
def confirm_password():
    form = ConfirmPasswordForm()
    back = safe_next(request.args.get("next"), url_for("settings.profile"))
    if form.validate_on_submit():
        if accounts.authenticate(current_user.email, form.password.data) is not None:
            session[SESSION_AUTHENTICATED] = time.time()
            return redirect(back)
        form.password.errors.append("That password is not right.")
        return render_template("settings/confirm_password.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("settings/confirm_password.html", form=form), status


def service_refused(render, form_name: str, form, error: ServiceError):
    """Put a service's refusal next to the form's fields and show the tab again with its status."""
    show_service_error(form, error)
    return render(**{form_name: form}), error.status


def file_request(kind: str, details: str, back: str, payload: dict | None = None):
    """File a support request from a Settings button; a second one of a kind is refused."""
    try:
        support_requests.file_request(
            user_actor(),
            g.org,
            kind,
            details,
            requested_by=current_user._get_current_object(),
            source="settings",
            payload=payload,
        )
    except Conflict as exc:
        flash(exc.message, "warning")
        return redirect(url_for(back))
    except ValidationFailed as exc:
        for message in exc.errors.values():
            flash(message, "danger")
        return redirect(url_for(back))
    label = support_requests.KIND_LABELS[kind]
    flash(f"{label} requested. The Intrlume team will take it from here.", "success")
    return redirect(url_for(back))


def open_request(kind: str):
    """The current organization's unresolved request of a kind, to show its state."""
    return support_requests.unresolved_request(g.org, kind)


# Each tab registers its routes on bp when imported.
from . import (  # noqa: E402
    api_keys,  # noqa: F401
    members,  # noqa: F401
    numbers,  # noqa: F401
    organization,  # noqa: F401
    profile,  # noqa: F401
    web_agent,  # noqa: F401
)
