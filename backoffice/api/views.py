"""The API's endpoints: load (404), check (401/403), validate (422), call one service, answer."""

import math
import re
import time
from datetime import datetime

from flask import g, jsonify, request
from werkzeug.exceptions import BadRequest

from ..extensions import limiter
from ..models import Agent, Call, LedgerEntry
from ..models.billing import ledger_page, parse_ledger_filters
from ..services import agents
from ..services.errors import ValidationFailed
from ..services.usage import usage_for
from . import bp
from .auth import api_actor, key_required
from .errors import ApiError
from .openapi import openapi_document
from .paging import decode_cursor, keyset_page, only_parameters, page_body, page_limit

AGENT_ID = re.compile(r"^agent_[0-9A-Za-z]{1,34}$")
MAX_BODY_BYTES = 64 * 1024
# Ledger dates far outside any account's life would overflow timezone arithmetic.
FIRST_YEAR, LAST_YEAR = 1970, 2999
SEARCH = re.compile(r"[\x21-\x7e]*")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")


def agent_name(payload: dict) -> str | None:
    """The `name` of a body (None when absent); text without control characters."""
    if "name" not in payload:
        return None
    name = payload["name"]
    if not isinstance(name, str):
        raise ValidationFailed({"name": "Give the name as text."})
    if CONTROL_CHARACTERS.search(name):
        raise ValidationFailed({"name": "The name can't contain control characters."})
    return name


def timestamp(value: datetime | None) -> str | None:
    """A stored naive-UTC datetime as RFC 3339 text."""
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def agent_json(agent: Agent) -> dict:
    return {
        "id": agent.public_id,
        "name": agent.name,
        "country": agent.country,
        "currency": agent.currency,
        "timezone": agent.timezone,
        "created_at": timestamp(agent.created_at),
        "updated_at": timestamp(agent.updated_at),
    }


def call_json(call: Call) -> dict:
    return {
        "id": call.public_id,
        "agent_id": call.agent.public_id,
        "started_at": timestamp(call.started_at),
        "duration_seconds": call.duration_seconds,
        "direction": call.direction,
        "from_number": call.from_number,
        "to_number": call.to_number,
    }


def ledger_json(entry: LedgerEntry) -> dict:
    return {
        "created_at": timestamp(entry.created_at),
        "kind": entry.kind,
        "call_id": entry.call_id,
        "agent_id": entry.agent_id,
        "phone_number": entry.phone_number,
        "duration_seconds": entry.duration_seconds,
        "credits": entry.credits,
        "balance_after": entry.balance_after,
        "description": entry.description,
    }


def ledger_filters():
    """The Billing tab's filters from the query (from, to, q), in the organization's timezone."""
    errors = {}
    for name in ("from", "to"):
        value = request.args.get(name)
        if value is not None and not (
            value[:4].isdigit() and FIRST_YEAR <= int(value[:4]) <= LAST_YEAR
        ):
            errors[name] = f"Enter a date from {FIRST_YEAR} to {LAST_YEAR} as YYYY-MM-DD."
    if not SEARCH.fullmatch(request.args.get("q", "")):
        errors["q"] = "Search for the start of a call or agent ID (printable ASCII, no spaces)."
    if errors:
        raise ValidationFailed(errors)
    return parse_ledger_filters(request.args, g.org.timezone)


def organization_json(organization) -> dict:
    plan = organization.plan
    return {
        "id": organization.public_id,
        "name": organization.name,
        "billing_email": organization.billing_email,
        "created_at": timestamp(organization.created_at),
        "status": organization.status,
        "country": organization.country,
        "currency": organization.currency,
        "timezone": organization.timezone,
        "plan": None
        if plan is None
        else {
            "code": plan.code,
            "name": plan.name,
            "period_start": timestamp(organization.period_start),
            "period_end": timestamp(organization.period_end),
        },
        "credit_balance": organization.credit_balance,
        "embedding_enabled": organization.embedding_enabled,
        "api_access_enabled": organization.api_access_enabled,
        "web_agent_public_key": organization.public_key,
        "allowed_origins": organization.origin_list,
    }


def json_object() -> dict:
    """The request body as a JSON object; 415 for another content type, 400 for bad JSON."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"Send at most {MAX_BODY_BYTES} bytes of JSON.")
    if not request.is_json:
        raise ApiError(
            415,
            "unsupported_media_type",
            "Send the body as JSON with `Content-Type: application/json`.",
        )
    try:
        payload = request.get_json()
    except BadRequest:
        raise ApiError(400, "invalid_json", "The body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_json", "The body must be a JSON object.")
    return payload


def agent_or_404(public_id: str) -> Agent:
    """One of the key's organization's agents; anyone else's is a 404."""
    agent = None
    if AGENT_ID.match(public_id):
        agent = (
            Agent.select().where(Agent.organization == g.org, Agent.public_id == public_id).first()
        )
    if agent is None:
        raise ApiError(404, "not_found", f"There is no agent {public_id} in this organization.")
    return agent


@bp.after_request
def _rate_limit_headers(response):
    """The key's limit in the IETF `RateLimit-*` headers, and Retry-After on a 429."""
    current = limiter.current_limit
    if current is not None:
        window = current.limit.get_expiry()
        seconds_left = min(window, max(0, math.ceil(current.reset_at - time.time())))
        response.headers["RateLimit-Limit"] = str(current.limit.amount)
        response.headers["RateLimit-Remaining"] = str(current.remaining)
        response.headers["RateLimit-Reset"] = str(seconds_left)
        response.headers["RateLimit-Policy"] = f"{current.limit.amount};w={window}"
        if response.status_code == 429:
            response.headers["Retry-After"] = str(max(1, seconds_left))
    return response


@bp.get("/openapi.json")
def openapi():
    response = jsonify(openapi_document(request.url_root.rstrip("/") + bp.url_prefix))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/organization")
@key_required
def organization():
    only_parameters()
    return jsonify(organization_json(g.org))


@bp.get("/usage")
@key_required
def usage():
    only_parameters()
    lines = usage_for(g.org)
    return jsonify(
        period_start=timestamp(g.org.period_start),
        period_end=timestamp(g.org.period_end),
        data=[
            {"metric": line.metric, "label": line.label, "used": line.used, "limit": line.limit}
            for line in lines
        ],
    )


@bp.get("/agents")
@key_required
def list_agents():
    only_parameters("limit", "cursor")
    limit = page_limit()
    query = Agent.select().where(Agent.organization == g.org)
    rows, next_cursor = keyset_page(
        query, Agent.created_at, Agent.id, newest_first=False, limit=limit
    )
    items = [agent_json(agent) for agent in rows]
    return jsonify(page_body(items, next_cursor, "api.list_agents", limit=limit))


@bp.post("/agents")
@key_required
def create_agent():
    only_parameters()
    name = agent_name(json_object())
    if name is None:
        raise ValidationFailed({"name": "Give the agent a name."})
    agent = agents.create_agent(api_actor(), g.org, name)
    response = jsonify(agent_json(agent))
    response.status_code = 201
    response.headers["Location"] = f"{request.base_url}/{agent.public_id}"
    return response


@bp.get("/agents/<public_id>")
@key_required
def get_agent(public_id):
    only_parameters()
    return jsonify(agent_json(agent_or_404(public_id)))


@bp.patch("/agents/<public_id>")
@key_required
def update_agent(public_id):
    only_parameters()
    agent = agent_or_404(public_id)
    agent = agents.update_agent(api_actor(), agent, agent_name(json_object()))
    return jsonify(agent_json(agent))


@bp.get("/calls")
@key_required
def list_calls():
    only_parameters("limit", "cursor")
    limit = page_limit()
    query = Call.select(Call, Agent).join(Agent).where(Call.organization == g.org)
    rows, next_cursor = keyset_page(query, Call.started_at, Call.id, newest_first=True, limit=limit)
    items = [call_json(call) for call in rows]
    return jsonify(page_body(items, next_cursor, "api.list_calls", limit=limit))


@bp.get("/ledger")
@key_required
def ledger():
    only_parameters("from", "to", "q", "limit", "cursor")
    limit = page_limit()
    filters = ledger_filters()
    cursor = request.args.get("cursor") or None
    decode_cursor(cursor)  # refuses, before any query, a cursor we could not have issued
    rows, next_cursor = ledger_page(g.org, filters, cursor, limit)
    items = [ledger_json(entry) for entry in rows]
    return jsonify(page_body(items, next_cursor, "api.ledger", limit=limit, **filters.as_args()))
