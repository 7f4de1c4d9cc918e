"""The API's endpoints: load (404), check (401/403), validate (422), call one service, answer."""

import math
import re
import time

from flask import g, jsonify, request

from ..extensions import limiter
from ..models import Agent, Call
from ..models.billing import ledger_page
from ..services import agents
from ..services.errors import ValidationFailed
from ..services.usage import usage_for
from . import bp
from .auth import api_actor, key_required
from .errors import ApiError
from .inputs import agent_name, json_object, ledger_filters
from .openapi import openapi_document
from .paging import decode_cursor, keyset_page, only_parameters, page_body, page_limit
from .serializers import agent_json, call_json, ledger_json, organization_json, timestamp

AGENT_ID = re.compile(r"^agent_[0-9A-Za-z]{1,34}$")


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
