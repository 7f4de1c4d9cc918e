"""Security headers: every page refuses framing and sniffing; only the widget frame is framable."""

import pytest

from ..conftest import another_app
from ..factories import make_org

PAGES = ["/login", "/forgot-password", "/admin/login", "/api/v1/openapi.json", "/nowhere"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_refuse_framing_and_sniffing(client, path):
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
    assert "Strict-Transport-Security" not in response.headers


def test_every_inline_script_carries_the_nonce(client):
    response = client.get("/login")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    page = response.get_data(as_text=True)
    for tag in page.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert "src=" in opening or f'nonce="{nonce}"' in opening, opening


def test_nonce_changes_with_every_response(client):
    policies = {client.get("/login").headers["Content-Security-Policy"] for _ in range(3)}
    assert len(policies) == 3


def test_production_adds_hsts(app, ctx):
    with another_app(app, ENV_NAME="production") as production:
        response = production.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_widget_frame_has_its_own_policy_only(client, ctx):
    org = make_org(embedding_enabled=True, allowed_origins="https://shop.example.com")
    response = client.get(f"/embed/v1/frame?key={org.public_key}")
    assert response.headers.getlist("Content-Security-Policy") == [
        response.headers["Content-Security-Policy"]
    ]
    assert "frame-ancestors https://shop.example.com" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
