"""A fresh test database per run: a temporary SQLite file, or a new PostgreSQL database."""

import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _admin_dsn(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres", query=""))


def create_postgres_database(server_url: str) -> str:
    """Create a uniquely named database on the server of server_url; return its URL."""
    name = f"backoffice_test_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(_admin_dsn(server_url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_postgres_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_admin_dsn(url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def terminate_connections(url: str) -> int:
    """Kill every server connection to the database of url, as a server restart would."""
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_admin_dsn(url), autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)
