"""The public JSON API under /api/v1/, authenticated by sk_live_ keys."""

from flask import Blueprint

from .errors import register_json_errors

bp = Blueprint("api", __name__, url_prefix="/api/v1")
register_json_errors(bp)

from . import views  # noqa: E402, F401 - registers the endpoints on bp
