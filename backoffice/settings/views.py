"""Settings pages: thin views that load, check, call one service and render."""

from flask import Blueprint, redirect, render_template, url_for

from ..permissions import member_required

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/")
@member_required
def index():
    return redirect(url_for("settings.profile"))


@bp.route("/profile")
@member_required
def profile():
    return render_template("settings/profile.html")


# (endpoint, label, admin only) in the help page's order.
TABS = [
    ("settings.profile", "Profile", False),
]


@bp.context_processor
def _tabs():
    return {"settings_tabs": TABS}
