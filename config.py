"""Configuration read from the environment, with safe development defaults."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 - refused in production


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Everything the app reads at start-up; each value can be set by an environment variable."""

    ENV_NAME = os.environ.get("BACKOFFICE_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    DATABASE_URL = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'backoffice.sqlite3'}"
    )
    # How long a write waits for SQLite's lock before the page answers 503.
    DATABASE_BUSY_TIMEOUT_MS = int(os.environ.get("DATABASE_BUSY_TIMEOUT_MS", "10000"))
    MAIL_URL = os.environ.get("MAIL_URL", "console://")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Intrlume <admin@intrlume.tech>")
    SUPPORT_EMAIL = "admin@intrlume.tech"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # A Redis outage must not answer 500s: count in each worker's memory until Redis is back.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    LOGIN_EMAIL_RATE_LIMIT = os.environ.get("LOGIN_EMAIL_RATE_LIMIT", "5 per minute")
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")
    INVITE_RATE_LIMIT = os.environ.get("INVITE_RATE_LIMIT", "30 per hour")

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    BOOTSTRAP_SERVE_LOCAL = True

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", ENV_NAME == "production")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_IDLE_HOURS", "8")))
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "72")))
    FRESH_LOGIN_MINUTES = int(os.environ.get("FRESH_LOGIN_MINUTES", "15"))

    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600"))
    INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
    CREDITS_PER_MINUTE = int(os.environ.get("CREDITS_PER_MINUTE", "10"))
    BILL_PER_STARTED_MINUTE = _bool("BILL_PER_STARTED_MINUTE", True)
    LOW_BALANCE_THRESHOLD = int(os.environ.get("LOW_BALANCE_THRESHOLD", "1000"))
    SUPPORT_GRANT_LIMIT = int(os.environ.get("SUPPORT_GRANT_LIMIT", "10000"))
    IMAP_URL = os.environ.get("IMAP_URL", "")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
