"""Every console URL for every kind of caller: anonymous, customer admin, support, superuser."""

import re

import pytest

from backoffice.models import AuditEvent, Organization, Plan, SupportRequest
from backoffice.services.base import Actor
from backoffice.services.requests import file_request

from ..conftest import login, staff_login
from ..factories import make_admin, make_number, make_org, make_plan, make_staff

STAFF = "staff"
SUPERUSER = "superuser"

GET_URLS = [
    ("/admin/", STAFF),
    ("/admin/requests/", STAFF),
    ("/admin/requests/{request}/", STAFF),
    ("/admin/requests/log", STAFF),
    ("/admin/organizations/", STAFF),
    ("/admin/organizations/{org}/", STAFF),
    ("/admin/numbers/", STAFF),
    ("/admin/numbers/new/", STAFF),
    ("/admin/numbers/{number}/", STAFF),
    ("/admin/users/", STAFF),
    ("/admin/ledger/", STAFF),
    ("/admin/agents/", STAFF),
    ("/admin/calls/", STAFF),
    ("/admin/audit/", STAFF),
    ("/admin/plans/", SUPERUSER),
    ("/admin/plans/new/", SUPERUSER),
    ("/admin/plans/edit/?id={plan}", SUPERUSER),
    ("/admin/staff/", SUPERUSER),
    ("/admin/staff/new/", SUPERUSER),
    ("/admin/staff/edit/?id={staff}", SUPERUSER),
]

POST_URLS = [
    ("/admin/requests/{request}/assign", {}, STAFF),
    ("/admin/requests/{request}/fulfil", {"note": "x"}, STAFF),
    ("/admin/requests/{request}/reject", {"reason": "x"}, STAFF),
    ("/admin/organizations/{org}/api-access", {"enabled": "1"}, STAFF),
    ("/admin/organizations/{org}/suspend", {}, STAFF),
    ("/admin/numbers/{number}/", {"organization": "{org}"}, STAFF),
    ("/admin/plans/new/", {"code": "x", "name": "X"}, SUPERUSER),
    ("/admin/plans/delete/", {"id": "{plan}"}, SUPERUSER),
    ("/admin/staff/new/", {"email": "n@intrlume.tech", "role": "superuser"}, SUPERUSER),
]

CALLERS = ["anonymous", "customer_admin", "support", "superuser"]


@pytest.fixture
def world(ctx):
    spare_plan = make_plan()
    org = make_org()
    admin = make_admin(org)
    request = file_request(Actor.user(admin), org, "enable_api_access", requested_by=admin)
    return {
        "org": org.public_id,
        "request": request.public_id,
        "number": make_number().id,
        "plan": spare_plan.id,
        "staff": make_staff("support").id,
        "admin": admin,
    }


def sign_in(client, caller, world):
    if caller == "customer_admin":
        login(client, world["admin"])
    elif caller in ("support", "superuser"):
        staff_login(client, make_staff(caller))


def expected_status(caller: str, needs: str) -> int:
    if caller == "anonymous":
        return 302
    if caller == "customer_admin":
        return 403
    if needs == SUPERUSER and caller != "superuser":
        return 403
    return 200


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("url", "needs"), GET_URLS)
def test_get(client, world, caller, url, needs):
    sign_in(client, caller, world)
    response = client.get(url.format(**world))
    assert response.status_code == expected_status(caller, needs)
    if caller == "anonymous":
        assert response.headers["Location"].startswith("/admin/login?next=")


REFUSED_POSTS = [
    (caller, url, data)
    for url, data, needs in POST_URLS
    for caller in ("anonymous", "customer_admin", "support")
    if caller != "support" or needs == SUPERUSER
]


@pytest.mark.parametrize(("caller", "url", "data"), REFUSED_POSTS)
def test_post_refused_changes_nothing(client, world, caller, url, data):
    sign_in(client, caller, world)
    events_before = AuditEvent.select().where(AuditEvent.action != "staff.logged_in").count()
    form = {key: value.format(**world) for key, value in data.items()}
    response = client.post(url.format(**world), data=form)
    assert response.status_code == (302 if caller == "anonymous" else 403)
    assert AuditEvent.select().where(AuditEvent.action != "staff.logged_in").count() == (
        events_before
    )
    assert SupportRequest.get(SupportRequest.public_id == world["request"]).state == "open"
    org = Organization.get(Organization.public_id == world["org"])
    assert not org.api_access_enabled
    assert org.status == "active"
    assert Plan.get_or_none(Plan.id == world["plan"]) is not None


def test_menu_hides_superuser_views_from_support(client, world):
    staff_login(client, make_staff("support"))
    page = client.get("/admin/requests/").get_data(as_text=True)
    assert "/admin/organizations/" in page
    assert "/admin/plans/" not in page
    assert "/admin/staff/" not in page


def test_unknown_objects_are_404(client, world):
    staff_login(client, make_staff("support"))
    assert client.get("/admin/requests/req_nope/").status_code == 404
    assert client.get("/admin/organizations/org_nope/").status_code == 404
    assert client.get("/admin/numbers/999999/").status_code == 404
    assert client.post(f"/admin/organizations/{world['org']}/explode").status_code == 404


def test_console_is_served_offline(client, world):
    staff_login(client, make_staff("superuser"))
    for url in ("/admin/", "/admin/organizations/", f"/admin/organizations/{world['org']}/"):
        page = client.get(url).get_data(as_text=True)
        assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
        assert assets
        assert all(asset.startswith("/") for asset in assets), assets
