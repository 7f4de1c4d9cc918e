"""The access matrix: every route has a row, and every caller gets the row's answer."""

import pytest

from backoffice.extensions import database
from backoffice.models import ALL_MODELS

from .access_matrix import LOGIN, OK, ROWS, STAFF_LOGIN
from .world import CALLERS, World

# Endpoints that only serve files.
STATIC_ENDPOINTS = ("static", "bootstrap.static", "admin.static")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in STATIC_ENDPOINTS or rule.endpoint.endswith(".static"):
            continue
        for method in sorted(rule.methods - IGNORED_METHODS):
            yield method, rule.rule


def test_every_route_has_a_row(app):
    missing = [
        f"{method} {rule}"
        for method, rule in routes(app)
        if not any(row.matches(method, rule) for row in ROWS)
    ]
    assert missing == [], "routes without a row in tests/hardening/access_matrix.py"


def classify(response, method: str):
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303, 307, 308):
        if location.startswith("/admin/login"):
            return STAFF_LOGIN
        if location.startswith("/login"):
            return LOGIN
        return OK
    if response.status_code < 300:
        return OK
    if method in ("POST", "PATCH") and response.status_code in (400, 409, 422):
        return OK  # an allowed caller sending an empty form gets a message, not a refusal
    return response.status_code


def row_cases():
    for row in ROWS:
        for method in row.methods:
            yield pytest.param(row, method, id=f"{method} {row.rule}")


def table_counts():
    return {model.__name__: model.select().count() for model in ALL_MODELS}


@pytest.mark.parametrize(("row", "method"), list(row_cases()))
def test_each_caller_gets_the_rows_answer(app, ctx, row, method):
    world = World.build()
    answers = {}
    for caller in CALLERS:
        client, headers = world.client_for(app, caller)
        database.connect(reuse_if_open=True)
        path = row.path(world)
        assert path, f"the row for {row.rule} needs a url"
        before = table_counts() if method == "GET" else None
        if row.json is not None:
            response = client.open(path, method=method, headers=headers, json=row.json)
        else:
            response = client.open(path, method=method, headers=headers, data=row.data)
        answers[caller] = classify(response, method)
        assert response.status_code != 500, f"{caller}: 500 on {method} {path}"
        if before is not None:
            database.connect(reuse_if_open=True)
            assert table_counts() == before, f"GET {path} as {caller} changed data"
    expected = {caller: row.expect[caller] for caller in CALLERS}
    assert answers == expected
