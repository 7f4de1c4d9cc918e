"""The web-agent widget endpoints under /embed/v1/, guarded by the domain allowlist."""

from flask import Blueprint

from ..api.errors import register_json_errors

bp = Blueprint("embed", __name__, url_prefix="/embed/v1")
register_json_errors(bp)

from . import views  # noqa: E402, F401 - registers the endpoints on bp
