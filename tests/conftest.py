"""Fixtures: one app per run on a fresh database (SQLite or PostgreSQL), emptied after each test."""

import os
import re
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient

from backoffice import create_app
from backoffice.db import upgrade
from backoffice.extensions import database, limiter
from backoffice.models import ALL_MODELS

from . import dbs
from .factories import PASSWORD
from .smtp import SmtpServer

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if dbs.is_postgres(TEST_DATABASE_URL):
        url = dbs.create_postgres_database(TEST_DATABASE_URL)
        yield url
        if not database.is_closed():
            database.close()
        database.obj.close_all()
        dbs.drop_postgres_database(url)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def test_config(database_url, smtp_server, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "MAIL_URL": smtp_server.url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PUBLIC_BASE_URL": "http://localhost",
    }
    config.update(overrides)
    return config


class FreshContextClient(FlaskClient):
    """Gives every request its own app context (and so its own `g`), as in production.

    Flask reuses an already-pushed app context for a request, and the `ctx` fixture keeps one
    pushed for the test's own model and service calls.
    """

    def open(self, *args, **kwargs):
        # Buffered, so a streamed response finishes inside the context that produced it.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_test_app(config):
    app = create_app(config)
    app.test_client_class = FreshContextClient
    return app


@pytest.fixture(scope="session")
def app(database_url, smtp_server):
    app = make_test_app(test_config(database_url, smtp_server))
    with app.app_context():
        upgrade()
    return app


@contextmanager
def another_app(app, **overrides):
    """A second app (say with CSRF or rate limits on), undone afterwards.

    Flask-Limiter keeps its storage, key prefix and on/off switch on the one shared `limiter`,
    and the database proxy is shared too: both are put back as they were.
    """
    saved_limiter = dict(limiter.__dict__)
    saved_limiter["_storage_options"] = dict(limiter._storage_options)
    other = make_test_app({**app.config, **overrides})
    try:
        yield other
    finally:
        other_db = other.extensions["peewee"]
        if other_db is not app.extensions["peewee"] and hasattr(other_db, "close_all"):
            other_db.close_all()
        database.initialize(app.extensions["peewee"])
        limiter.__dict__.clear()
        limiter.__dict__.update(saved_limiter)


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Every test starts from empty tables (the schema is made once per run)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context(), database.connection_context():
        tables = [m._meta.table_name for m in ALL_MODELS]
        if dbs.is_postgres(app.config["DATABASE_URL"]):
            quoted = ", ".join(f'"{t}"' for t in tables)
            database.execute_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        else:
            with database.atomic():
                for table in reversed(tables):
                    database.execute_sql(f'DELETE FROM "{table}"')  # noqa: S608
    if getattr(limiter, "_storage", None) is not None:
        limiter.reset()


@pytest.fixture
def ctx(app):
    """An app context with an open connection, for calling services and models directly."""
    with app.app_context():
        # Requests made by the test client close the shared connection at teardown, so this
        # reopens it on demand (peewee's autoconnect) rather than holding a connection_context.
        database.connect(reuse_if_open=True)
        yield
        if not database.is_closed():
            database.close()


@pytest.fixture
def client(app, ctx):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.messages.clear()
    return smtp_server.messages


def login(client, user, password=PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def staff_login(client, staff, password=PASSWORD):
    response = client.post("/admin/login", data={"email": staff.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


LINK = re.compile(r"http://localhost(/\S+)")


def link_in(message) -> str:
    """The site path of the first link in a mail's plain-text part."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    return LINK.search(body).group(1)
