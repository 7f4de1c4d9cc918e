"""The public JSON API under /api/v1/, authenticated by sk_live_ keys."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
