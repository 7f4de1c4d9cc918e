"""How the API shows things: the JSON of each object, with RFC 3339 UTC timestamps."""

from datetime import datetime

from ..models import Agent, Call, LedgerEntry


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
