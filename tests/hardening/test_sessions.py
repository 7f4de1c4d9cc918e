"""Session lifetimes and redirect targets that must stay on this site."""

import time

import pytest

from ..conftest import another_app, login
from ..factories import make_admin, make_staff
from .world import World


def test_idle_session_expires(app):
    user = make_admin()
    with another_app(app, PERMANENT_SESSION_LIFETIME=1) as short:
        client = short.test_client()
        login(client, user)
        assert client.get("/settings/profile").status_code == 200
        time.sleep(2.1)
        assert client.get("/settings/profile").status_code == 302


def test_remember_me_cookie_is_set_only_when_asked(client):
    user = make_admin()
    plain = client.post(
        "/login", data={"email": user.email, "password": "correct horse battery staple"}
    )
    assert not any(c.startswith("remember_token=") for c in plain.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "\\\\evil.example", "javascript:alert(1)"]
)
def test_console_return_urls_stay_on_the_site(app, ctx, target):
    world = World.build()
    client, _ = world.client_for(app, "support")
    attempts = [
        ("POST", f"/admin/organizations/{world.org.public_id}/renew"),
        ("GET", "/admin/ledger/edit/"),
        ("POST", "/admin/ledger/delete/"),
        ("GET", "/admin/organizations/new/"),
    ]
    for method, path in attempts:
        response = client.open(path, method=method, query_string={"url": target, "next": target})
        location = response.headers.get("Location", "")
        assert response.status_code == 302, path
        assert location.startswith("/admin/"), f"{path} sent staff to {location}"


def test_staff_login_next_stays_on_the_site(client, ctx):
    staff = make_staff()
    response = client.post(
        "/admin/login",
        query_string={"next": "//evil.example"},
        data={"email": staff.email, "password": "correct horse battery staple"},
    )
    assert response.headers["Location"] == "/admin/"
