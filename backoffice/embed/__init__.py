"""The web-agent widget endpoints under /embed/v1/, guarded by the domain allowlist."""

from flask import Blueprint

bp = Blueprint("embed", __name__, url_prefix="/embed/v1")
