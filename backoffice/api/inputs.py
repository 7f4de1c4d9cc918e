"""What the API accepts: JSON bodies, agent names and the ledger's filters, refused with 4xx."""

import re

from flask import g, request
from werkzeug.exceptions import BadRequest

from ..models.billing import LedgerFilters, parse_ledger_filters
from ..services.errors import ValidationFailed
from .errors import ApiError

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


def ledger_filters() -> LedgerFilters:
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
