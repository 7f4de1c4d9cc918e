"""Intrlume Back Office: one Flask application with four faces over one service layer."""

import secrets
from pathlib import Path

from flask import Flask, abort, g, request

from config import DEFAULT_SECRET_KEY, Config

from . import db
from .extensions import bootstrap, csrf, limiter, login_manager

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None) -> Flask:
    """Build an app: config → extensions → database → faces → CLI."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    _refuse_unsafe_production(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)

    db.init_database(app)
    _register_faces(app)
    _register_request_hooks(app)

    from .cli import register_cli

    register_cli(app)
    return app


def _refuse_unsafe_production(app: Flask) -> None:
    """In production: a real SECRET_KEY, and cookies that only travel over HTTPS."""
    if app.config["ENV_NAME"] != "production":
        return
    if app.config["SECRET_KEY"] in (DEFAULT_SECRET_KEY, "", None):
        raise RuntimeError("Refusing to start in production with the default SECRET_KEY.")
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True


def _register_faces(app: Flask) -> None:
    from . import permissions  # noqa: F401 - registers the Flask-Login user loader
    from .api import bp as api_bp
    from .auth.customer import bp as auth_bp
    from .auth.staff import bp as staff_auth_bp
    from .console import init_console
    from .embed import bp as embed_bp
    from .errors import register_error_handlers
    from .settings.views import bp as settings_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_auth_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(embed_bp)
    csrf.exempt(api_bp)
    csrf.exempt(embed_bp)
    init_console(app)
    register_error_handlers(app)

    @app.route("/")
    def home():
        from flask import redirect, url_for

        return redirect(url_for("settings.profile"))


def _register_request_hooks(app: Flask) -> None:
    from .permissions import current_membership, enforce_session_lifetime, load_staff

    @app.before_request
    def _session_rules():
        g.csp_nonce = secrets.token_urlsafe(16)
        enforce_session_lifetime()

    @app.before_request
    def _refuse_nul_characters():
        # No form field may carry a NUL: PostgreSQL can neither store nor compare text holding
        # one. The API checks its own inputs and names the field in a 422.
        if request.path.startswith("/api/"):
            return
        submitted = (*request.args.items(multi=True), *request.form.items(multi=True))
        if any("\x00" in name or "\x00" in value for name, value in submitted):
            abort(400, "The request contains a NUL character.")

    @app.context_processor
    def _template_globals():
        return {
            "csp_nonce": lambda: g.get("csp_nonce", ""),
            "current_membership": current_membership,
            "current_staff": load_staff,
            "support_email": app.config["SUPPORT_EMAIL"],
        }

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if "Content-Security-Policy" not in headers:
            nonce = g.get("csp_nonce", "")
            headers["Content-Security-Policy"] = (
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                f"script-src 'self' 'nonce-{nonce}'; frame-ancestors 'none'; "
                "form-action 'self'; base-uri 'self'; object-src 'none'"
            )
            headers.setdefault("X-Frame-Options", "DENY")
        if request.path.startswith("/api/"):
            headers.setdefault("Cache-Control", "no-store")
        if app.config["ENV_NAME"] == "production":
            # Production is served over HTTPS only; browsers must never fall back to HTTP.
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
