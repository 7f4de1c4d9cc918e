"""One CSRF scheme: with protection on, every POST without a token is refused."""

import pytest

from ..conftest import another_app
from .access_matrix import OK, ROWS
from .world import World

# Key-authenticated faces carry no cookies, so they have no CSRF exposure (and are exempt).
KEY_AUTHENTICATED = ("/api/", "/embed/")
PREFERRED_CALLERS = ("admin", "superuser", "member", "support", "anonymous")


def post_cases():
    for row in ROWS:
        if "POST" not in row.methods or row.rule.startswith(KEY_AUTHENTICATED):
            continue
        caller = next((c for c in PREFERRED_CALLERS if row.expect.get(c) == OK), "admin")
        yield pytest.param(row, caller, id=f"POST {row.rule} as {caller}")


@pytest.fixture(scope="module")
def csrf_app(app):
    with another_app(app, WTF_CSRF_ENABLED=True) as protected:
        yield protected


@pytest.mark.parametrize(("row", "caller"), list(post_cases()))
def test_post_without_token_is_refused(app, csrf_app, ctx, row, caller):
    world = World.build()
    signed_in, _ = world.client_for(app, caller)
    client = csrf_app.test_client()
    session_cookie = signed_in.get_cookie("session")
    if session_cookie is not None:
        client.set_cookie("session", session_cookie.value)
    response = client.post(row.path(world), data=row.data)
    assert response.status_code == 400, f"{row.rule} accepted a POST without a CSRF token"
    assert "CSRF" in response.get_data(as_text=True)


def test_post_with_token_is_accepted(csrf_app, ctx):
    client = csrf_app.test_client()
    page = client.get("/forgot-password").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/forgot-password", data={"csrf_token": token, "email": "a@b.example"})
    assert response.status_code == 302
