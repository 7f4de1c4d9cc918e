"""The database: connection from DATABASE_URL, per-request connect/close, migrations."""

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from peewee import InterfaceError, Model, OperationalError, SqliteDatabase
from playhouse.migrations import Runner
from playhouse.pool import PooledPostgresqlDatabase

from .extensions import database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DATABASE_ERRORS = (OperationalError, InterfaceError)

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -64 * 1024,
}


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


def make_database(url: str, busy_timeout_ms: int = 10_000):
    """A peewee database for a `sqlite:///path` or `postgresql://…` URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = parts.path[1:] if parts.path.startswith("//") else parts.path
        path = path or ":memory:"
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        pragmas = {**SQLITE_PRAGMAS, "busy_timeout": busy_timeout_ms}
        return SqliteDatabase(path, pragmas=pragmas, timeout=busy_timeout_ms / 1000)
    if parts.scheme in {"postgres", "postgresql"}:
        options = dict(parse_qsl(parts.query))
        return PooledPostgresqlDatabase(
            parts.path.lstrip("/") or "postgres",
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            max_connections=int(options.pop("max_connections", 20)),
            stale_timeout=300,
            timeout=10,
            connect_timeout=5,
            **options,
        )
    raise ValueError(f"DATABASE_URL must start with sqlite:/// or postgresql://, not {url!r}")


def locked(query):
    """query with its rows locked until the transaction ends (SQLite already serialises writers)."""
    return query if isinstance(database.obj, SqliteDatabase) else query.for_update()


def init_database(app):
    """Bind the proxy to the configured database and open a connection per request."""
    app.extensions["peewee"] = make_database(
        app.config["DATABASE_URL"], app.config["DATABASE_BUSY_TIMEOUT_MS"]
    )
    database.initialize(app.extensions["peewee"])

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            if exc is not None and database.in_transaction():
                database.rollback()
            database.close()


def migration_runner() -> Runner:
    return Runner(database.obj, directory=str(MIGRATIONS_DIR))


def upgrade() -> list[str]:
    """Apply every pending migration; returns the names applied (none on a second run)."""
    with database.connection_context():
        return migration_runner().up()


def pending_migrations() -> list[str]:
    with database.connection_context():
        return [m.name for m in migration_runner().status() if not m.applied]
