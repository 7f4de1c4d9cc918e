"""API keys tab (admins only): generate or regenerate the secret key, or ask for API access."""

from flask import flash, g, make_response, render_template
from flask_login import current_user

from ..permissions import admin_required, user_actor
from ..services import api_keys as keys
from ..services.errors import ServiceError
from .forms import ApiAccessRequestForm, GenerateKeyForm
from .views import bp, file_request, fresh_login_required, open_request

BACK = "settings.api_keys"


def _page(access_form=None) -> str:
    return render_template(
        "settings/api_keys.html",
        org=g.org,
        key=keys.active_key(g.org),
        generate_form=GenerateKeyForm(formdata=None),
        access_form=access_form or ApiAccessRequestForm(prefix="api_access", formdata=None),
        access_request=open_request("enable_api_access"),
    )


def _no_store(body: str, status: int = 200):
    """A page holding a secret: never cached, by the browser or anything in between."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api-keys")
@admin_required
def api_keys():
    return _page()


@bp.route("/api-keys/generate", methods=["POST"])
@admin_required
@fresh_login_required(BACK)
def api_keys_generate():
    form = GenerateKeyForm()
    if not form.validate_on_submit():
        return _page(), 400
    current = keys.active_key(g.org)
    if current is not None and form.confirm.data != "yes":
        # Replacing a key breaks integrations at once, so it takes a second, deliberate step.
        return render_template(
            "settings/api_key_confirm.html",
            key=current,
            form=GenerateKeyForm(formdata=None, confirm="yes"),
        )
    try:
        key, secret = keys.generate_key(user_actor(), g.org, current_user._get_current_object())
    except ServiceError as exc:
        flash(exc.message, "danger")
        return _page(), exc.status
    return _no_store(
        render_template("settings/api_key_secret.html", key=key, secret=secret, replaced=current)
    )


@bp.route("/api-keys/request-access", methods=["POST"])
@admin_required
def api_keys_request_access():
    form = ApiAccessRequestForm(prefix="api_access")
    if not form.validate_on_submit():
        return _page(access_form=form), 400
    return file_request("enable_api_access", form.note.data or "", BACK)
