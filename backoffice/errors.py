"""Friendly error pages (HTML), JSON errors under /api/, and 503 when the database is gone."""

import logging

from flask import current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from .db import DATABASE_ERRORS
from .extensions import database

log = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "You don't have access to this page",
    404: "Page not found",
    405: "Method not allowed",
    410: "This link is no longer valid",
    413: "Request too large",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/embed/"))


def error_response(status: int, code: str, message: str):
    if wants_json():
        response = jsonify(error={"code": code, "message": message})
        response.status_code = status
        return response
    title = TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _release_broken_connection():
    try:
        if not database.is_closed():
            database.close()
    except DATABASE_ERRORS:
        database.obj._state.reset()


def register_error_handlers(app):
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        response = make_response(error_response(exc.code or 500, code, exc.description or ""))
        # Keep what the status needs to be understood: Allow on a 405, Retry-After on a 429.
        for name, value in exc.get_headers():
            if name.lower() in ("allow", "retry-after"):
                response.headers[name] = value
        return response

    def database_unavailable(exc):
        log.error("database unavailable: %s", exc)
        _release_broken_connection()
        message = "We can't reach our database right now. Please try again in a minute."
        if wants_json():
            response = error_response(503, "service_unavailable", message)
        else:
            # Straight from the Jinja environment: the usual context processors (the signed-in
            # user, their organizations) would query the database that just failed.
            page = current_app.jinja_env.get_template("errors/unavailable.html")
            response = make_response(page.render(message=message), 503)
        return _with_header(response, "Retry-After", "30")

    for error_class in DATABASE_ERRORS:
        app.register_error_handler(error_class, database_unavailable)

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.exception("unhandled error")
        return error_response(500, "internal_error", "We have been told and will look into it.")


def _with_header(response, name, value):
    if isinstance(response, tuple):
        body, status = response
        return body, status, {name: value}
    response.headers[name] = value
    return response
