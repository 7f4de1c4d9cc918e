"""JSON errors of the API and the embed endpoints: `{"error": {"code", "message"}}`."""

from flask import jsonify
from flask_limiter.errors import RateLimitExceeded

from ..services.errors import ServiceError, ValidationFailed


class ApiError(Exception):
    """A refusal answered as a JSON error with a stable code."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def error_json(status: int, code: str, message: str, headers=None, **extra):
    response = jsonify(error={"code": code, "message": message, **extra})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def register_json_errors(blueprint) -> None:
    """Answer ApiError, service refusals and rate limits of blueprint's views as JSON."""

    @blueprint.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_json(exc.status, exc.code, exc.message, exc.headers)

    @blueprint.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        if isinstance(exc, ValidationFailed):
            return error_json(exc.status, exc.code, exc.message, fields=exc.errors)
        fields = {exc.field: exc.message} if exc.field else None
        extra = {"fields": fields} if fields else {}
        return error_json(exc.status, exc.code, exc.message, **extra)

    @blueprint.errorhandler(RateLimitExceeded)
    def _rate_limited(exc: RateLimitExceeded):
        return error_json(
            429,
            "rate_limited",
            f"Too many requests: this key may make {exc.description}. "
            "Wait for the time given in Retry-After.",
        )
