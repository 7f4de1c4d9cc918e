"""Friendly error pages, and 503 while the database is gone, recovering when it is back."""

import shutil

from backoffice.db import upgrade

from . import dbs
from .conftest import another_app, login
from .factories import make_admin


def test_not_found_page_is_friendly(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_api_paths_answer_json_errors(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_sqlite_gone_answers_503_and_recovers(app, tmp_path):
    path = tmp_path / "db.sqlite3"
    path.mkdir()  # a directory where the database file should be: SQLite can't open it
    with another_app(app, DATABASE_URL=f"sqlite:///{path}") as broken:
        client = broken.test_client()
        response = client.get("/login")
        assert response.status_code == 503
        assert "can&#39;t reach our database" in response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "30"
        shutil.rmtree(path)
        with broken.app_context():
            upgrade()
        assert client.get("/login").status_code == 200


def test_postgres_unreachable_answers_503(app):
    with another_app(app, DATABASE_URL="postgresql://postgres@127.0.0.1:1/nowhere") as broken:
        response = broken.test_client().get("/api/v1/organization")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "service_unavailable"


def test_dropped_connections_recover_on_their_own(app, client):
    user = make_admin()
    login(client, user)
    assert client.get("/settings/profile").status_code == 200
    if dbs.is_postgres(app.config["DATABASE_URL"]):
        assert dbs.terminate_connections(app.config["DATABASE_URL"]) >= 1
    statuses = [client.get("/settings/profile").status_code for _ in range(3)]
    assert statuses[-1] == 200
    assert statuses.count(503) <= 1


def test_database_gone_answers_503_to_a_signed_in_user(app, client, tmp_path):
    login(client, make_admin())
    path = tmp_path / "gone.sqlite3"
    path.mkdir()
    with another_app(app, DATABASE_URL=f"sqlite:///{path}") as broken:
        stranded = broken.test_client()
        stranded.set_cookie("session", client.get_cookie("session").value)
        response = stranded.get("/settings/profile")
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.get_data(as_text=True)
