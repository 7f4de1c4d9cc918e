"""The OpenAPI 3.1 document of the API: every endpoint, parameter, schema and error."""

from ..models.billing import LEDGER_KINDS, MAX_SEARCH_LENGTH
from ..services.agents import NAME_MAX
from .paging import DEFAULT_LIMIT, MAX_LIMIT


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(schema_name: str) -> dict:
    return {"application/json": {"schema": _ref("schemas", schema_name)}}


def _ok(description: str, schema_name: str) -> dict:
    return {
        "description": description,
        "headers": RATE_LIMIT_HEADERS,
        "content": _json(schema_name),
    }


FORBIDDEN_IN_NAMES = r"\x00-\x1f\x7f-\x9f\ufeff"
NAME = {
    "type": "string",
    "minLength": 1,
    "maxLength": NAME_MAX,
    "pattern": f"^[^{FORBIDDEN_IN_NAMES}]*[^\\s{FORBIDDEN_IN_NAMES}][^{FORBIDDEN_IN_NAMES}]*$",
    "description": f"1 to {NAME_MAX} characters, not all spaces, no control characters.",
}
TIMESTAMP = {"type": "string", "format": "date-time"}
NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}
RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": {
        "description": "Requests this key may make in the window.",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the window resets.",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    },
}
ERRORS_OF_EVERY_CALL = {
    "401": _ref("responses", "Unauthorized"),
    "403": _ref("responses", "Forbidden"),
    "429": _ref("responses", "RateLimited"),
}
# Years 1970 to 2999: the ledger's dates, in YYYY-MM-DD.
DAY = "^(19[7-9][0-9]|2[0-9]{3})-[0-9]{2}-[0-9]{2}$"
PAGING_PARAMETERS = [_ref("parameters", "Limit"), _ref("parameters", "Cursor")]


def _page_of(item_schema: str) -> dict:
    return {
        "type": "object",
        "required": ["data", "next_cursor", "next"],
        "properties": {
            "data": {"type": "array", "items": _ref("schemas", item_schema)},
            "next_cursor": {
                "type": ["string", "null"],
                "description": "Pass as `cursor` for the next page; null on the last page.",
            },
            "next": {
                "type": ["string", "null"],
                "description": "The path of the next page; null on the last page.",
            },
        },
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "description": "Stable, machine-readable code."},
                    "message": {"type": "string", "description": "What went wrong, for people."},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": "On validation errors: each bad field and what is wrong.",
                    },
                },
            }
        },
    },
    "Organization": {
        "type": "object",
        "required": [
            "id",
            "name",
            "billing_email",
            "created_at",
            "status",
            "country",
            "currency",
            "timezone",
            "plan",
            "credit_balance",
            "embedding_enabled",
            "api_access_enabled",
            "web_agent_public_key",
            "allowed_origins",
        ],
        "properties": {
            "id": {"type": "string", "pattern": "^org_"},
            "name": {"type": "string"},
            "billing_email": {"type": "string"},
            "created_at": TIMESTAMP,
            "status": {"type": "string", "enum": ["active", "suspended"]},
            "country": {"type": "string", "description": "ISO 3166-1 alpha-2"},
            "currency": {"type": "string", "description": "ISO 4217"},
            "timezone": {"type": "string", "description": "IANA timezone"},
            "plan": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["code", "name", "period_start", "period_end"],
                        "properties": {
                            "code": {"type": "string"},
                            "name": {"type": "string"},
                            "period_start": NULLABLE_TIMESTAMP,
                            "period_end": NULLABLE_TIMESTAMP,
                        },
                    },
                ]
            },
            "credit_balance": {"type": "integer"},
            "embedding_enabled": {"type": "boolean"},
            "api_access_enabled": {"type": "boolean"},
            "web_agent_public_key": {"type": "string", "pattern": "^pk_live_"},
            "allowed_origins": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Usage": {
        "type": "object",
        "required": ["period_start", "period_end", "data"],
        "properties": {
            "period_start": NULLABLE_TIMESTAMP,
            "period_end": NULLABLE_TIMESTAMP,
            "data": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["metric", "label", "used", "limit"],
                    "properties": {
                        "metric": {
                            "type": "string",
                            "enum": [
                                "agents",
                                "calls",
                                "knowledge_bases",
                                "campaigns",
                                "leads",
                                "integrations",
                            ],
                        },
                        "label": {"type": "string"},
                        "used": {"type": "integer", "minimum": 0},
                        "limit": {"type": ["integer", "null"]},
                    },
                },
            },
        },
    },
    "Agent": {
        "type": "object",
        "required": ["id", "name", "country", "currency", "timezone", "created_at", "updated_at"],
        "properties": {
            "id": {"type": "string", "pattern": "^agent_"},
            "name": {"type": "string"},
            "country": {"type": "string", "description": "The organization's country when saved"},
            "currency": {"type": "string", "description": "The organization's currency when saved"},
            "timezone": {"type": "string", "description": "The organization's timezone when saved"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "AgentList": _page_of("Agent"),
    "AgentCreate": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": NAME},
        "description": "Other fields are ignored. The agent takes the organization's locale.",
    },
    "AgentUpdate": {
        "type": "object",
        "properties": {"name": NAME},
        "description": "Other fields are ignored. Saving refreshes the agent's locale snapshot.",
    },
    "Call": {
        "type": "object",
        "required": [
            "id",
            "agent_id",
            "started_at",
            "duration_seconds",
            "direction",
            "from_number",
            "to_number",
        ],
        "properties": {
            "id": {"type": "string"},
            "agent_id": {"type": "string"},
            "started_at": TIMESTAMP,
            "duration_seconds": {"type": "integer", "minimum": 0},
            "direction": {"type": "string", "enum": ["inbound", "outbound"]},
            "from_number": {"type": "string"},
            "to_number": {"type": "string"},
        },
    },
    "CallList": _page_of("Call"),
    "LedgerEntry": {
        "type": "object",
        "required": [
            "created_at",
            "kind",
            "call_id",
            "agent_id",
            "phone_number",
            "duration_seconds",
            "credits",
            "balance_after",
            "description",
        ],
        "properties": {
            "created_at": TIMESTAMP,
            "kind": {"type": "string", "enum": list(LEDGER_KINDS)},
            "call_id": {"type": ["string", "null"]},
            "agent_id": {"type": ["string", "null"]},
            "phone_number": {"type": ["string", "null"]},
            "duration_seconds": {"type": ["integer", "null"]},
            "credits": {"type": "integer", "description": "Signed: charges are negative."},
            "balance_after": {"type": "integer"},
            "description": {"type": "string"},
        },
    },
    "LedgerPage": _page_of("LedgerEntry"),
}

PARAMETERS = {
    "Limit": {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": f"Items per page (default {DEFAULT_LIMIT}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    },
    "Cursor": {
        "name": "cursor",
        "in": "query",
        "required": False,
        "description": "The `next_cursor` of the previous page.",
        "schema": {"type": "string"},
    },
    "From": {
        "name": "from",
        "in": "query",
        "required": False,
        "description": "First day (inclusive, in the organization's timezone), YYYY-MM-DD.",
        "schema": {"type": "string", "format": "date", "pattern": DAY},
    },
    "To": {
        "name": "to",
        "in": "query",
        "required": False,
        "description": "Last day (inclusive, in the organization's timezone), YYYY-MM-DD; "
        "on or after `from`.",
        "schema": {"type": "string", "format": "date", "pattern": DAY},
    },
    "Search": {
        "name": "q",
        "in": "query",
        "required": False,
        "description": "The start of a call ID or agent ID.",
        "schema": {"type": "string", "maxLength": MAX_SEARCH_LENGTH, "pattern": "^[!-~]*$"},
    },
    "AgentId": {
        "name": "agent_id",
        "in": "path",
        "required": True,
        "description": "The agent's public ID (`agent_…`).",
        "schema": {"type": "string"},
    },
}


def _error(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": _json("Error")}
    if headers:
        response["headers"] = headers
    return response


RESPONSES = {
    "BadRequest": _error("The body is not a JSON object (`invalid_json`)."),
    "Unauthorized": _error(
        "No key, or a mistyped, unknown or revoked key (`authentication_required`, "
        "`invalid_api_key`, `api_key_in_url`).",
        {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}},
    ),
    "Forbidden": _error(
        "The organization's API access is off (`api_access_disabled`) or it is suspended "
        "(`organization_suspended`)."
    ),
    "NotFound": _error("No such object in this organization (`not_found`)."),
    "UnsupportedMediaType": _error(
        "The body is not `application/json` (`unsupported_media_type`)."
    ),
    "PayloadTooLarge": _error("The body is larger than 64 KiB (`payload_too_large`)."),
    "ValidationFailed": _error(
        "A field or parameter is not valid (`validation_failed`); `fields` names each one."
    ),
    "RateLimited": _error(
        "Too many requests for this key (`rate_limited`).",
        {
            "Retry-After": {
                "description": "Seconds to wait.",
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
                "required": True,
            },
            **RATE_LIMIT_HEADERS,
        },
    ),
}

PATHS = {
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This document",
            "security": [],
            "responses": {
                "200": {
                    "description": "The OpenAPI document.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
    "/organization": {
        "get": {
            "operationId": "getOrganization",
            "summary": "The organization the key belongs to",
            "responses": {"200": _ok("The organization.", "Organization"), **ERRORS_OF_EVERY_CALL},
        }
    },
    "/usage": {
        "get": {
            "operationId": "getUsage",
            "summary": "Use of each plan limit in the current period",
            "responses": {"200": _ok("Usage per metric.", "Usage"), **ERRORS_OF_EVERY_CALL},
        }
    },
    "/agents": {
        "get": {
            "operationId": "listAgents",
            "summary": "The organization's agents, oldest first",
            "parameters": PAGING_PARAMETERS,
            "responses": {
                "200": _ok("A page of agents.", "AgentList"),
                "422": _ref("responses", "ValidationFailed"),
                **ERRORS_OF_EVERY_CALL,
            },
        },
        "post": {
            "operationId": "createAgent",
            "summary": "Create an agent with the organization's current locale",
            "requestBody": {"required": True, "content": _json("AgentCreate")},
            "responses": {
                "201": {
                    "description": "The new agent.",
                    "headers": {
                        "Location": {"schema": {"type": "string"}, "required": True},
                        **RATE_LIMIT_HEADERS,
                    },
                    "content": _json("Agent"),
                },
                "400": _ref("responses", "BadRequest"),
                "401": _ref("responses", "Unauthorized"),
                "403": _error(
                    "API access off, organization suspended, or the plan's agent limit is "
                    "reached (`plan_limit_reached`)."
                ),
                "413": _ref("responses", "PayloadTooLarge"),
                "415": _ref("responses", "UnsupportedMediaType"),
                "422": _ref("responses", "ValidationFailed"),
                "429": _ref("responses", "RateLimited"),
            },
        },
    },
    "/agents/{agent_id}": {
        "parameters": [_ref("parameters", "AgentId")],
        "get": {
            "operationId": "getAgent",
            "summary": "One agent",
            "responses": {
                "200": _ok("The agent.", "Agent"),
                "404": _ref("responses", "NotFound"),
                **ERRORS_OF_EVERY_CALL,
            },
        },
        "patch": {
            "operationId": "updateAgent",
            "summary": "Rename an agent; its locale snapshot is refreshed",
            "requestBody": {"required": True, "content": _json("AgentUpdate")},
            "responses": {
                "200": _ok("The agent as saved.", "Agent"),
                "400": _ref("responses", "BadRequest"),
                "404": _ref("responses", "NotFound"),
                "413": _ref("responses", "PayloadTooLarge"),
                "415": _ref("responses", "UnsupportedMediaType"),
                "422": _ref("responses", "ValidationFailed"),
                **ERRORS_OF_EVERY_CALL,
            },
        },
    },
    "/calls": {
        "get": {
            "operationId": "listCalls",
            "summary": "The organization's calls, newest first",
            "parameters": PAGING_PARAMETERS,
            "responses": {
                "200": _ok("A page of calls.", "CallList"),
                "422": _ref("responses", "ValidationFailed"),
                **ERRORS_OF_EVERY_CALL,
            },
        }
    },
    "/ledger": {
        "get": {
            "operationId": "listLedger",
            "summary": "The credit ledger, newest first, with the Billing tab's filters",
            "parameters": [
                _ref("parameters", "From"),
                _ref("parameters", "To"),
                _ref("parameters", "Search"),
                *PAGING_PARAMETERS,
            ],
            "responses": {
                "200": _ok("A page of ledger entries.", "LedgerPage"),
                "422": _ref("responses", "ValidationFailed"),
                **ERRORS_OF_EVERY_CALL,
            },
        }
    },
}


def openapi_document(server_url: str) -> dict:
    """The document, for the API served at server_url (…/api/v1)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Intrlume API",
            "version": "1.0.0",
            "description": (
                "Server-to-server access to an Intrlume organization. Authenticate with the "
                "organization's secret key: `Authorization: Bearer sk_live_…` (Settings → "
                'API keys). Errors are `{"error": {"code", "message"}}` with stable codes.'
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "sk_live_…"}
            },
            "schemas": SCHEMAS,
            "parameters": PARAMETERS,
            "responses": RESPONSES,
        },
    }
