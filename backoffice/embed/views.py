"""The widget: a loader script, its configuration (CORS per allowlist) and the framed page."""

import re
from urllib.parse import urlsplit

from flask import g, jsonify, make_response, render_template, request

from ..api.errors import ApiError
from ..models import Agent, Organization
from ..models.organizations import ORG_SUSPENDED
from ..services.web_agent import origin_allowed
from . import bp

PUBLIC_KEY = re.compile(r"^pk_live_[0-9A-Za-z]{1,56}$")
PREFLIGHT_MAX_AGE = "600"
LOADER_MAX_AGE = "300"


def organization_for_key() -> Organization:
    """The organization whose public key is in `?key=`; 404 when unknown, 403 when it is off."""
    key = request.args.get("key", "")
    if not key:
        raise ApiError(400, "key_required", "Add your public key: `?key=pk_live_…`.")
    organization = None
    if PUBLIC_KEY.match(key):
        organization = Organization.get_or_none(Organization.public_key == key)
    if organization is None:
        raise ApiError(404, "unknown_key", "No web agent has this public key.")
    if organization.status == ORG_SUSPENDED:
        raise ApiError(403, "organization_suspended", "This organization is suspended.")
    if not organization.embedding_enabled:
        raise ApiError(
            403,
            "embedding_disabled",
            "Embedding is not enabled for this organization. "
            "Ask for it under Settings → Web Agent.",
        )
    return organization


def requesting_origin() -> str | None:
    """The page's origin: the Origin header or, when a browser sends none, the Referer's."""
    origin = request.headers.get("Origin")
    if origin:
        return origin
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.scheme and referer.netloc:
        return f"{referer.scheme}://{referer.netloc}"
    return None


def allowed_origin(organization: Organization) -> str:
    """The requesting origin when the allowlist lets it host the widget; 403 otherwise."""
    origin = requesting_origin()
    if not origin_allowed(organization.origin_list, origin):
        raise ApiError(
            403,
            "origin_not_allowed",
            f"The origin {origin or '(none)'} is not on this web agent's allowlist. "
            "Add it under Settings → Web Agent → Allowed origins.",
        )
    return origin


def first_agent(organization: Organization) -> Agent | None:
    return (
        Agent.select()
        .where(Agent.organization == organization)
        .order_by(Agent.created_at, Agent.id)
        .first()
    )


@bp.after_request
def _vary_on_origin(response):
    response.vary.add("Origin")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.route("/config", methods=["GET", "OPTIONS"])
def config():
    organization = organization_for_key()
    origin = allowed_origin(organization)
    if request.method == "OPTIONS":
        response = make_response("", 204)
        response.headers["Access-Control-Allow-Methods"] = "GET"
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    else:
        agent = first_agent(organization)
        response = jsonify(
            organization={"name": organization.name},
            agent=None if agent is None else {"id": agent.public_id, "name": agent.name},
            locale={
                "country": organization.country,
                "currency": organization.currency,
                "timezone": organization.timezone,
            },
        )
    response.headers["Access-Control-Allow-Origin"] = origin
    return response


@bp.get("/frame")
def frame():
    organization = organization_for_key()
    ancestors = " ".join(organization.origin_list) or "*"
    nonce = g.csp_nonce
    page = render_template(
        "embed/frame.html", organization=organization, agent=first_agent(organization)
    )
    response = make_response(page)
    # The widget's own policy: framing by the allowlist only, replacing the site's 'none'.
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
        f"base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    )
    return response


@bp.get("/widget.js")
def widget():
    response = make_response(render_template("embed/widget.js"))
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Cache-Control"] = f"public, max-age={LOADER_MAX_AGE}"
    return response
