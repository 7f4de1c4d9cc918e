"""Who calls the API: the Bearer sk_live_ key, its organization and its rate limit."""

import functools

from flask import current_app, g, request

from ..extensions import limiter
from ..models.organizations import ORG_SUSPENDED
from ..permissions import client_ip
from ..services.api_keys import PREFIX, authenticate_key
from ..services.base import Actor
from .errors import ApiError

CHALLENGE = 'Bearer realm="Intrlume API"'
INVALID_TOKEN_CHALLENGE = f'{CHALLENGE}, error="invalid_token"'


def _unauthorized(code: str, message: str, challenge: str = CHALLENGE) -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": challenge})


def _bearer_token() -> str:
    """The token of the Authorization header; refuses keys sent any other way."""
    values = [value for values in request.args.listvalues() for value in values]
    if any(value.startswith(PREFIX) for value in values):
        raise _unauthorized(
            "api_key_in_url",
            "Send the key in the Authorization header, never in the URL: "
            "a key in a URL ends up in logs. Regenerate this key in Settings.",
        )
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized(
            "authentication_required",
            "Send your API key as `Authorization: Bearer sk_live_…`.",
        )
    return token.strip()


def _rate_limit_key() -> str:
    return f"api-key:{g.api_key.id}"


_per_key_limit = limiter.shared_limit(
    lambda: current_app.config["API_RATE_LIMIT"], scope="api", key_func=_rate_limit_key
)


def authenticate() -> None:
    """Set g.api_key and g.org from the request's key, or refuse with 401/403."""
    key = authenticate_key(_bearer_token())
    if key is None:
        raise _unauthorized(
            "invalid_api_key",
            "This API key is not valid: it is mistyped, unknown or has been revoked.",
            INVALID_TOKEN_CHALLENGE,
        )
    organization = key.organization
    if organization.status == ORG_SUSPENDED:
        raise ApiError(403, "organization_suspended", "This organization is suspended.")
    if not organization.api_access_enabled:
        raise ApiError(
            403,
            "api_access_disabled",
            "API access is not enabled for this organization. "
            "Ask for it under Settings → API keys.",
        )
    g.api_key, g.org = key, organization


def key_required(view):
    """Authenticate the key first, then count the call against that key's rate limit."""
    limited = _per_key_limit(view)

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        authenticate()
        return limited(*args, **kwargs)

    return wrapper


def api_actor() -> Actor:
    """The audit actor of this request: the API key itself."""
    return Actor.api_key(g.api_key, client_ip())
