"""Customer and staff sign-in, sessions, redirects and password reset."""

import time

import pytest

from backoffice.models import AuditEvent, User
from backoffice.services.accounts import _serializer

from .conftest import another_app, link_in, login, staff_login
from .factories import PASSWORD, make_admin, make_member, make_org, make_staff


def test_login_page_has_the_products_words(client):
    page = client.get("/login").get_data(as_text=True)
    for words in ("Email Address", "Password", "Log in", "Forgot password?"):
        assert words in page
    assert '<label class="form-label" for="email">' in page


def test_login_then_logout(client):
    user = make_admin()
    response = login(client, user)
    assert response.headers["Location"] == "/settings/profile"
    assert client.get("/settings/profile").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/settings/profile").status_code == 302
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == ["user.logged_in", "user.logged_out"]


def test_wrong_password_and_unknown_email_answer_alike(client):
    user = make_admin()
    wrong = client.post("/login", data={"email": user.email, "password": "wrong password here"})
    unknown = client.post("/login", data={"email": "nobody@example.com", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    message = "That email address and password don&#39;t match an account."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_login_is_case_insensitive_for_email(client):
    user = make_admin(email="mixed@example.com")
    response = client.post("/login", data={"email": "MIXED@Example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert user.email == "mixed@example.com"


def test_logout_ends_every_copy_of_the_session(app, client):
    user = make_admin()
    login(client, user)
    copied = client.get_cookie("session").value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/settings/profile").status_code == 302


def test_session_is_cleared_at_login(client):
    user = make_admin()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_absolute_session_lifetime_ends_an_old_session(client):
    login(client, make_admin())
    with client.session_transaction() as session:
        session["started_at"] = time.time() - 73 * 3600
    assert client.get("/settings/profile").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/x",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\\evil.example",
        " //evil.example",
        "http:/evil.example",
    ],
)
def test_next_never_leaves_the_site(client, target):
    user = make_admin()
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/settings/profile"


def test_next_on_the_site_is_followed(client):
    user = make_admin()
    response = client.post(
        "/login",
        query_string={"next": "/settings/profile?tab=1"},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/settings/profile?tab=1"


def test_login_attempts_are_rate_limited(app):
    user = make_admin()
    with another_app(app, RATELIMIT_ENABLED=True, LOGIN_EMAIL_RATE_LIMIT="3 per minute") as limited:
        client = limited.test_client()
        answers = [
            client.post("/login", data={"email": user.email, "password": "nope nope nope"})
            for _ in range(4)
        ]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    assert "Retry-After" in answers[-1].headers


def test_password_reset_by_mail(client, mailbox):
    user = make_admin()
    response = client.post("/forgot-password", data={"email": user.email.upper()})
    assert response.status_code == 302
    (message,) = mailbox
    assert message["To"] == user.email
    path = link_in(message)
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "a brand new passphrase"})
    assert response.headers["Location"] == "/login"
    assert (
        client.post(
            "/login", data={"email": user.email, "password": "a brand new passphrase"}
        ).status_code
        == 302
    )
    reused = client.get(path)
    assert reused.status_code == 400
    assert "already been used" in reused.get_data(as_text=True)


def test_password_reset_never_reveals_whether_the_email_exists(client, mailbox):
    make_admin(email="known@example.com")
    known = client.post(
        "/forgot-password", data={"email": "known@example.com"}, follow_redirects=True
    )
    unknown = client.post(
        "/forgot-password", data={"email": "ghost@example.com"}, follow_redirects=True
    )
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert len(mailbox) == 1


def test_expired_reset_link_is_refused(client, app):
    user = make_admin()
    with app.test_request_context():
        token = _serializer().dumps({"u": user.id, "f": "whatever"})
    with another_app(app, PASSWORD_RESET_MAX_AGE=-1) as strict:
        response = strict.test_client().get(f"/reset-password/{token}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_tampered_reset_link_is_refused(client):
    response = client.get("/reset-password/not-a-real-token")
    assert response.status_code == 400


def test_new_password_must_be_long_and_uncommon(client, mailbox):
    user = make_admin()
    client.post("/forgot-password", data={"email": user.email})
    path = link_in(mailbox[0])
    short = client.post(path, data={"password": "short"})
    common = client.post(path, data={"password": "password1234"})
    assert short.status_code == common.status_code == 400
    assert "at least 12 characters" in short.get_data(as_text=True)
    assert "too common" in common.get_data(as_text=True)
    assert User.get_by_id(user.id).password_hash == user.password_hash


def test_customer_is_refused_in_the_console(client):
    login(client, make_admin())
    assert client.get("/admin/").status_code == 403


def test_anonymous_console_visit_goes_to_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


def test_staff_session_never_acts_as_a_customer(client):
    staff_login(client, make_staff())
    assert client.get("/admin/").status_code == 200
    response = client.get("/settings/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_staff_logout_ends_the_console_session(app, client):
    staff_login(client, make_staff())
    copied = client.get_cookie("session").value
    client.post("/admin/logout")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/admin/").status_code == 302


def test_inactive_staff_cannot_log_in(client):
    staff = make_staff(is_active=False)
    response = client.post("/admin/login", data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 401


def test_switcher_changes_the_current_organization(client):
    first, second = make_org(name="Alpha Ltd"), make_org(name="Beta Ltd")
    user = make_admin(first)
    from backoffice.models import Membership

    Membership.create(user=user, organization=second, role="member")
    login(client, user)
    page = client.get("/settings/profile").get_data(as_text=True)
    assert "Alpha Ltd" in page
    assert 'id="org-switcher"' in page
    client.post("/switch-organization", data={"organization": second.public_id})
    assert "Beta Ltd · you are Member" in client.get("/settings/profile").get_data(as_text=True)


def test_switcher_refuses_an_organization_you_are_not_in(client):
    user = make_member()
    stranger = make_org()
    login(client, user)
    response = client.post("/switch-organization", data={"organization": stranger.public_id})
    assert response.status_code == 404
