"""Who may open each Settings URL: anonymous, a member, an admin, another org's admin."""

import re

import pytest

from backoffice.models import Invitation, Membership, Organization
from backoffice.services.base import Actor
from backoffice.services.members import invite_member

from ..factories import make_number

OK, LOGIN = "ok", "login"
# Callers in this order: the admin last, since some of these POSTs remove or change things.
CALLERS = ("anonymous", "member", "other_admin", "admin")


def member_id(team):
    return Membership.get(Membership.user == team.member).id


def invitation_id(team):
    return Invitation.get(Invitation.organization == team.org).id


def everyone_in(org_answer=OK):
    return {"member": org_answer, "other_admin": OK, "admin": OK}


ADMIN_ONLY = {"member": 403, "other_admin": OK, "admin": OK}
ADMIN_OBJECT = {"member": 403, "other_admin": 404, "admin": OK}

CASES = [
    ("GET", "/settings/", everyone_in()),
    ("GET", "/settings/profile", everyone_in()),
    ("POST", "/settings/profile", everyone_in()),
    ("POST", "/settings/profile/password", everyone_in()),
    ("GET", "/settings/confirm-password", everyone_in()),
    ("POST", "/settings/confirm-password", everyone_in()),
    ("GET", "/settings/organization", everyone_in()),
    ("POST", "/settings/organization/locale", ADMIN_ONLY),
    ("POST", "/settings/organization/request-plan-change", ADMIN_ONLY),
    ("POST", "/settings/organization/request-renewal", ADMIN_ONLY),
    ("POST", "/settings/organization/request-details-change", ADMIN_ONLY),
    ("GET", "/settings/members", everyone_in()),
    ("POST", "/settings/members/invite", ADMIN_ONLY),
    ("POST", "/settings/members/{member}/role", ADMIN_OBJECT),
    ("POST", "/settings/members/{member}/remove", ADMIN_OBJECT),
    ("POST", "/settings/members/leave", everyone_in()),
    ("POST", "/settings/invitations/{invitation}/resend", ADMIN_OBJECT),
    ("POST", "/settings/invitations/{invitation}/revoke", ADMIN_OBJECT),
    ("GET", "/settings/numbers", everyone_in()),
    ("POST", "/settings/numbers/request", ADMIN_ONLY),
    ("POST", "/settings/numbers/request-removal", ADMIN_ONLY),
    ("GET", "/settings/web-agent", everyone_in()),
    ("POST", "/settings/web-agent/allowlist", ADMIN_ONLY),
    ("POST", "/settings/web-agent/request-embedding", ADMIN_ONLY),
    ("GET", "/settings/api-keys", ADMIN_ONLY),
    ("POST", "/settings/api-keys/generate", ADMIN_ONLY),
    ("POST", "/settings/api-keys/request-access", ADMIN_ONLY),
]


def classify(response, method):
    if response.status_code in (301, 302, 303):
        return LOGIN if response.headers["Location"].startswith("/login") else OK
    if response.status_code < 300:
        return OK
    if method == "POST" and response.status_code in (400, 409, 422):
        return OK  # allowed, and told what is wrong with the empty form
    return response.status_code


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [pytest.param(*case, id=f"{case[0]} {case[1]}") for case in CASES],
)
def test_each_caller_gets_the_expected_answer(app, team, method, url, expected):
    invite_member(Actor.system("test"), team.org, "new.hire@acme.example", "member")
    path = url.format(member=member_id(team), invitation=invitation_id(team))
    answers = {}
    for caller in CALLERS:
        response = team.client(app, caller).open(path, method=method, data={})
        assert response.status_code != 500, f"{caller}: 500 on {method} {path}"
        answers[caller] = classify(response, method)
    assert answers == {"anonymous": LOGIN, **expected}


def test_member_does_not_see_the_api_keys_tab(app, team, member_client, admin_client):
    member_page = member_client.get("/settings/profile").get_data(as_text=True)
    admin_page = admin_client.get("/settings/profile").get_data(as_text=True)
    for label in ("Profile", "Organization", "Members", "Phone Numbers", "Web Agent"):
        assert f">{label}</a>" in member_page
    assert ">API keys</a>" not in member_page
    assert ">API keys</a>" in admin_page
    tabs = ["Profile", "Organization", "Members", "Phone Numbers", "Web Agent", "API keys"]
    positions = [admin_page.index(f">{label}</a>") for label in tabs]
    assert positions == sorted(positions), "tabs follow the help page's order"


def test_demoted_admin_loses_admin_pages_on_the_next_request(app, team):
    client = team.client(app, "admin")
    assert client.get("/settings/api-keys").status_code == 200
    make_second_admin = Membership.get(Membership.user == team.member)
    make_second_admin.role = "admin"
    make_second_admin.save()
    Membership.update(role="member").where(Membership.user == team.admin).execute()
    assert client.get("/settings/api-keys").status_code == 403


@pytest.mark.parametrize("features_on", [True, False])
@pytest.mark.parametrize(
    "path",
    [
        "/settings/profile",
        "/settings/organization",
        "/settings/members",
        "/settings/numbers",
        "/settings/web-agent",
        "/settings/api-keys",
        "/settings/confirm-password",
    ],
)
def test_every_input_has_a_label(admin_client, team, path, features_on):
    make_number(team.org)
    invite_member(Actor.system("test"), team.org, "new.hire@acme.example", "member")
    Organization.update(embedding_enabled=features_on, api_access_enabled=features_on).where(
        Organization.id == team.org.id
    ).execute()
    page = admin_client.get(path).get_data(as_text=True)
    fields = re.findall(r"<(?:input|select|textarea)\b([^>]*)>", page)
    visible = [f for f in fields if 'type="hidden"' not in f and 'type="submit"' not in f]
    ids = [re.search(r'id="([^"]+)"', f).group(1) for f in visible]
    for field_id in ids:
        assert f'for="{field_id}"' in page, f"{path}: #{field_id} has no <label for>"
    assert len(ids) == len(set(ids)), f"{path}: duplicate ids"
