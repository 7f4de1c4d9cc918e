"""Web Agent tab: the public key, the embed snippet and the domain allowlist."""

from flask import current_app, flash, g, redirect, render_template, url_for

from ..permissions import admin_required, member_required, user_actor
from ..services import web_agent as allowlists
from ..services.errors import ServiceError
from .forms import AllowlistForm, EmbeddingRequestForm
from .views import bp, file_request, open_request, service_refused

BACK = "settings.web_agent"
WIDGET_PATH = "/embed/v1/widget.js"


def _snippet() -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f'<script src="{base}{WIDGET_PATH}" data-key="{g.org.public_key}" async></script>'


def _page(allowlist_form=None, embedding_form=None) -> str:
    return render_template(
        "settings/web_agent.html",
        org=g.org,
        snippet=_snippet(),
        allowlist_form=allowlist_form
        or AllowlistForm(formdata=None, allowed_origins=g.org.allowed_origins),
        embedding_form=embedding_form or EmbeddingRequestForm(prefix="embedding", formdata=None),
        embedding_request=open_request("enable_embedding"),
    )


@bp.route("/web-agent")
@member_required
def web_agent():
    return _page()


@bp.route("/web-agent/allowlist", methods=["POST"])
@admin_required
def web_agent_allowlist():
    form = AllowlistForm()
    if not form.validate_on_submit():
        return _page(allowlist_form=form), 400
    try:
        origins = allowlists.save_allowlist(user_actor(), g.org, form.allowed_origins.data or "")
    except ServiceError as exc:
        return service_refused(_page, "allowlist_form", form, exc)
    if origins:
        flash(f"The allowlist has been saved: {len(origins)} origin(s).", "success")
    else:
        flash("The allowlist is empty: the web agent may be embedded on any website.", "success")
    return redirect(url_for(BACK))


@bp.route("/web-agent/request-embedding", methods=["POST"])
@admin_required
def web_agent_request_embedding():
    form = EmbeddingRequestForm(prefix="embedding")
    if not form.validate_on_submit():
        return _page(embedding_form=form), 400
    return file_request("enable_embedding", form.note.data or "", BACK)
