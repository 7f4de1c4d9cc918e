"""Who may call the API: only a Bearer key of an active organization with API access."""

import pytest

from backoffice.clock import utcnow
from backoffice.models import ApiKey, Organization
from backoffice.services import organizations
from backoffice.services.api_keys import generate_key, make_secret
from backoffice.services.base import Actor

from ..conftest import login
from ..factories import make_admin, make_org, make_staff
from .conftest import bearer, counting_queries, key_for

ENDPOINTS = [
    ("get", "/organization"),
    ("get", "/usage"),
    ("get", "/agents"),
    ("post", "/agents"),
    ("get", "/agents/agent_0000000000000000"),
    ("patch", "/agents/agent_0000000000000000"),
    ("get", "/calls"),
]


def send(client, method, path, headers=None):
    return getattr(client, method)(f"/api/v1{path}", headers=headers or {}, json={"name": "X"})


def assert_unauthorized(response, code):
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == code
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.headers.get("Access-Control-Allow-Origin") is None


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_wants_a_key(client, method, path):
    assert_unauthorized(send(client, method, path), "authentication_required")


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_refuses_an_unknown_key(client, holder, method, path):
    response = send(client, method, path, bearer(make_secret()))
    assert_unauthorized(response, "invalid_api_key")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize(
    "header",
    [
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "sk_live_abc",
        "Token sk_live_abc",
    ],
)
def test_other_authorization_schemes_are_refused(client, header):
    response = client.get("/api/v1/organization", headers={"Authorization": header})
    assert_unauthorized(response, "authentication_required")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1],  # truncated
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # checksum off by one character
        lambda s: s[:20] + ("x" if s[20] != "x" else "y") + s[21:],  # typo in the body
        lambda s: s.replace("sk_live_", "sk_test_"),
        lambda s: s + "0",
        lambda s: s[:-3] + "é!?",
    ],
    ids=["truncated", "checksum", "typo", "prefix", "too-long", "alphabet"],
)
def test_malformed_key_is_refused_without_a_query(client, holder, mangle):
    with counting_queries() as queries:
        response = client.get("/api/v1/organization", headers=bearer(mangle(holder.secret)))
    assert_unauthorized(response, "invalid_api_key")
    assert queries == []


def test_well_formed_unknown_key_costs_one_lookup(client, holder):
    with counting_queries() as queries:
        response = client.get("/api/v1/organization", headers=bearer(make_secret()))
    assert_unauthorized(response, "invalid_api_key")
    assert len(queries) == 1


def test_key_in_the_url_is_refused(client, holder):
    response = client.get(f"/api/v1/organization?api_key={holder.secret}")
    assert_unauthorized(response, "api_key_in_url")
    # Even alongside a good header: the key has leaked and the caller must hear so.
    response = client.get(f"/api/v1/organization?key={holder.secret}", headers=holder.headers)
    assert_unauthorized(response, "api_key_in_url")


def test_session_cookie_is_not_a_key(client, holder):
    admin = make_admin(holder.org)
    login(client, admin)
    assert_unauthorized(client.get("/api/v1/organization"), "authentication_required")


def test_valid_key_reads_its_organization_and_marks_use(client, holder):
    response = client.get("/api/v1/organization", headers=holder.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == holder.org.public_id
    assert body["name"] == "Acme Calls"
    assert ApiKey.get_by_id(holder.key.id).last_used_at is not None
    assert response.headers["Cache-Control"] == "no-store"


def test_last_used_is_written_at_most_once_a_minute(client, holder):
    def key_updates(queries):
        return [q for q in queries if q.startswith('(\'UPDATE "api_key"')]

    with counting_queries() as first:
        client.get("/api/v1/organization", headers=holder.headers)
    first_use = ApiKey.get_by_id(holder.key.id).last_used_at
    with counting_queries() as second:
        client.get("/api/v1/organization", headers=holder.headers)
    assert len(key_updates(first)) == 1
    assert key_updates(second) == []
    assert ApiKey.get_by_id(holder.key.id).last_used_at == first_use


def test_regenerated_key_stops_working_on_the_very_next_call(client, holder):
    assert client.get("/api/v1/organization", headers=holder.headers).status_code == 200
    _, new_secret = generate_key(Actor.system("test"), holder.org, None)
    assert_unauthorized(
        client.get("/api/v1/organization", headers=holder.headers), "invalid_api_key"
    )
    assert client.get("/api/v1/organization", headers=bearer(new_secret)).status_code == 200


def test_revoked_key_is_refused(client, holder):
    ApiKey.update(revoked_at=utcnow()).where(ApiKey.id == holder.key.id).execute()
    assert_unauthorized(
        client.get("/api/v1/organization", headers=holder.headers), "invalid_api_key"
    )


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_api_access_disabled_is_403_at_once(client, holder, method, path):
    assert client.get("/api/v1/organization", headers=holder.headers).status_code == 200
    Organization.update(api_access_enabled=False).where(Organization.id == holder.org.id).execute()
    response = send(client, method, path, holder.headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "api_access_disabled"


def test_api_access_disabled_by_staff_is_403_at_once(client, holder):
    assert client.get("/api/v1/agents", headers=holder.headers).status_code == 200
    organizations.set_api_access(Actor.staff(make_staff()), holder.org, False)
    response = client.get("/api/v1/agents", headers=holder.headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "api_access_disabled"
    organizations.set_api_access(Actor.staff(make_staff()), holder.org, True)
    assert client.get("/api/v1/agents", headers=holder.headers).status_code == 200


def test_suspension_by_staff_is_403_at_once(client, holder):
    organizations.suspend(Actor.staff(make_staff()), holder.org)
    response = client.get("/api/v1/organization", headers=holder.headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "organization_suspended"


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_suspended_organization_is_403(client, holder, method, path):
    Organization.update(status="suspended").where(Organization.id == holder.org.id).execute()
    response = send(client, method, path, holder.headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "organization_suspended"


def test_another_organizations_key_never_sees_this_one(client, holder):
    other = key_for(make_org(name="Other Org"))
    body = client.get("/api/v1/organization", headers=other.headers).get_json()
    assert body["id"] == other.org.public_id
    assert "Acme Calls" not in str(body)


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_is_json_405(client, holder):
    response = client.delete("/api/v1/agents", headers=holder.headers)
    assert response.status_code == 405
    assert "code" in response.get_json()["error"]


def test_wrong_method_names_the_allowed_ones(client, holder):
    response = client.put("/api/v1/agents", headers=holder.headers)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_key_repeated_in_the_url_is_still_noticed(client, holder):
    response = client.get(f"/api/v1/agents?x=1&x={holder.secret}", headers=holder.headers)
    assert_unauthorized(response, "api_key_in_url")
