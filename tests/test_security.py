"""Production safety, cookie flags, security headers and the password policy."""

import pytest

from backoffice import create_app
from backoffice.services.errors import ValidationFailed
from backoffice.services.passwords import check_new_password, hash_password, verify_password

from .conftest import another_app
from .factories import PASSWORD, make_admin


def test_production_refuses_the_default_secret_key():
    with pytest.raises(RuntimeError, match="default SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "dev-only-secret-key-change-me"})


def test_production_cookies_are_secure(app):
    user = make_admin()
    with another_app(app, ENV_NAME="production", SECRET_KEY="a-real-secret") as prod:
        response = prod.test_client().post(
            "/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
        )
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie


def test_session_cookie_flags_in_development(client):
    response = client.post("/login", data={"email": make_admin().email, "password": PASSWORD})
    session = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in session
    assert "SameSite=Lax" in session
    assert "Expires=" in session  # idle lifetime: the cookie lasts PERMANENT_SESSION_LIFETIME


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_page_asset_is_served_by_the_app(client):
    page = client.get("/login").get_data(as_text=True)
    assert "cdn" not in page.lower()
    assert "/bootstrap/static/css/bootstrap.min.css" in page
    stylesheet = client.get("/bootstrap/static/css/bootstrap.min.css")
    stylesheet.close()
    assert stylesheet.status_code == 200


@pytest.mark.parametrize("password", ["a" * 11, "", "x" * 257])
def test_password_length_rules(password):
    with pytest.raises(ValidationFailed):
        check_new_password(password)


@pytest.mark.parametrize("password", ["Password1234", "qwertyuiop123", "correcthorsebatterystaple"])
def test_common_passwords_are_refused(password):
    with pytest.raises(ValidationFailed, match="too common"):
        check_new_password(password)


@pytest.mark.parametrize(
    "password",
    ["twelve chars", "a long passphrase with spaces and no digits", "ünïcödé pässphrase"],
)
def test_long_passphrases_need_no_composition_rules(password):
    check_new_password(password)


def test_password_hashes_are_argon2id():
    hashed = hash_password("some long passphrase")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "some long passphrase")
    assert not verify_password(hashed, "another passphrase")
    assert not verify_password(None, "anything at all")
