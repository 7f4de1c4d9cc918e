"""With CSRF protection on, every Settings form is refused without its token and works with it."""

import re

import pytest

from backoffice.models import Invitation, Membership, User
from backoffice.services.base import Actor
from backoffice.services.members import invite_member

from ..conftest import another_app
from .test_access import CASES

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
POSTS = [url for method, url, _ in CASES if method == "POST"]


@pytest.fixture
def csrf_app(app):
    with another_app(app, WTF_CSRF_ENABLED=True) as protected:
        yield protected


def signed_in(csrf_app, app, team, who="admin"):
    """A client of the CSRF-protected app carrying a session made on the test app."""
    client = csrf_app.test_client()
    client.set_cookie("session", team.client(app, who).get_cookie("session").value)
    return client


@pytest.mark.parametrize("url", POSTS)
def test_post_without_a_token_is_refused(app, csrf_app, team, url):
    invite_member(Actor.system("test"), team.org, "new.hire@acme.example", "member")
    path = url.format(
        member=Membership.get(Membership.user == team.member).id,
        invitation=Invitation.get().id,
    )
    before = (Membership.select().count(), Invitation.get().state, User.get_by_id(team.admin.id))
    response = signed_in(csrf_app, app, team).post(path, data={"first_name": "Mallory"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    after = (Membership.select().count(), Invitation.get().state, User.get_by_id(team.admin.id))
    assert after[:2] == before[:2]
    assert after[2].first_name == before[2].first_name


def test_post_with_the_token_from_the_page_works(app, csrf_app, team):
    client = signed_in(csrf_app, app, team)
    page = client.get("/settings/profile").get_data(as_text=True)
    token = TOKEN.search(page).group(1)
    response = client.post(
        "/settings/profile",
        data={
            "csrf_token": token,
            "first_name": "Augusta",
            "last_name": "Lovelace",
            "email": "ada@acme.example",
        },
    )
    assert response.status_code == 302
    assert User.get_by_id(team.admin.id).first_name == "Augusta"
