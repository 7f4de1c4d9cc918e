"""Agents through the API: the same services as Settings, audited as the key, locale snapshots."""

import pytest

from backoffice.models import Agent, AuditEvent, Organization

from ..factories import make_agent, make_org, make_plan
from .conftest import key_for


def test_create_agent_snapshots_the_locale_and_audits_the_key(api, holder):
    Organization.update(country="DE", currency="EUR", timezone="Europe/Berlin").where(
        Organization.id == holder.org.id
    ).execute()
    response = api.post("/agents", json={"name": "  Front desk  "})
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "Front desk"
    assert (body["country"], body["currency"], body["timezone"]) == ("DE", "EUR", "Europe/Berlin")
    assert response.headers["Location"].endswith(f"/api/v1/agents/{body['id']}")
    agent = Agent.get(Agent.public_id == body["id"])
    assert agent.organization_id == holder.org.id
    event = AuditEvent.get(AuditEvent.action == "agent.created")
    assert (event.actor_type, event.actor_id) == ("api_key", holder.key.id)
    assert event.actor_label == holder.key.display
    assert event.organization_id == holder.org.id
    assert event.target_id == body["id"]


def test_locale_change_leaves_agents_alone_until_they_are_edited(api, holder):
    created = api.post("/agents", json={"name": "Sales"}).get_json()
    assert created["country"] == "US"
    Organization.update(country="FR", currency="EUR", timezone="Europe/Paris").where(
        Organization.id == holder.org.id
    ).execute()
    unchanged = api.get(f"/agents/{created['id']}").get_json()
    assert (unchanged["country"], unchanged["currency"], unchanged["timezone"]) == (
        "US",
        "USD",
        "UTC",
    )
    edited = api.patch(f"/agents/{created['id']}", json={"name": "Ventes"})
    assert edited.status_code == 200
    body = edited.get_json()
    assert body["name"] == "Ventes"
    assert (body["country"], body["currency"], body["timezone"]) == ("FR", "EUR", "Europe/Paris")
    event = AuditEvent.get(AuditEvent.action == "agent.updated")
    assert event.actor_type == "api_key"
    assert event.before["country"] == "US"
    assert event.after["country"] == "FR"


def test_patch_without_a_name_refreshes_only_the_locale(api, holder):
    agent = make_agent(holder.org, name="Keep me")
    Organization.update(timezone="Asia/Tokyo").where(Organization.id == holder.org.id).execute()
    body = api.patch(f"/agents/{agent.public_id}", json={}).get_json()
    assert body["name"] == "Keep me"
    assert body["timezone"] == "Asia/Tokyo"


def test_extra_fields_are_ignored(api, holder):
    other = make_org()
    response = api.post(
        "/agents",
        json={
            "name": "Support",
            "organization_id": other.id,
            "organization": other.public_id,
            "credit_balance": 10**9,
            "country": "JP",
            "id": "agent_chosenbyme",
        },
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["country"] == "US"
    assert body["id"] != "agent_chosenbyme"
    assert Agent.get(Agent.public_id == body["id"]).organization_id == holder.org.id
    assert Organization.get_by_id(holder.org.id).credit_balance == 0
    assert Agent.select().where(Agent.organization == other).count() == 0


def test_plan_limit_refuses_the_next_agent(client, ctx):
    holder = key_for(make_org(plan=make_plan(max_agents=2)))
    make_agent(holder.org)
    headers = holder.headers
    assert client.post("/api/v1/agents", headers=headers, json={"name": "Two"}).status_code == 201
    response = client.post("/api/v1/agents", headers=headers, json={"name": "Three"})
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "plan_limit_reached"
    assert "2 agents" in error["message"]
    assert Agent.select().where(Agent.organization == holder.org).count() == 2
    assert not AuditEvent.select().where(AuditEvent.target_id == "Three").exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Give the agent a name"),
        ({"name": ""}, "1 to 200 characters"),
        ({"name": "   "}, "1 to 200 characters"),
        ({"name": "x" * 201}, "1 to 200 characters"),
        ({"name": None}, "as text"),
        ({"name": 42}, "as text"),
        ({"name": ["a"]}, "as text"),
        ({"name": "bad\x00name"}, "control characters"),
        ({"name": "tab\tname"}, "control characters"),
    ],
)
def test_bad_names_are_422_naming_the_field(api, holder, body, message):
    response = api.post("/agents", json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert message in error["fields"]["name"]
    assert Agent.select().count() == 0


def test_bad_name_on_patch_is_422(api, holder):
    agent = make_agent(holder.org, name="Before")
    response = api.patch(f"/agents/{agent.public_id}", json={"name": ""})
    assert response.status_code == 422
    assert "name" in response.get_json()["error"]["fields"]
    assert Agent.get_by_id(agent.id).name == "Before"


@pytest.mark.parametrize("method", ["post", "patch"])
def test_body_must_be_json(api, holder, method):
    agent = make_agent(holder.org)
    path = "/agents" if method == "post" else f"/agents/{agent.public_id}"
    response = getattr(api, method)(path, data="name=Bob")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"
    response = getattr(api, method)(
        path, data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"
    response = getattr(api, method)(path, json=["name", "Bob"])
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "The body must be a JSON object."


def test_another_organizations_agent_is_404(api, holder):
    foreign = make_agent(make_org(), name="Not yours")
    for response in (
        api.get(f"/agents/{foreign.public_id}"),
        api.patch(f"/agents/{foreign.public_id}", json={"name": "Mine now"}),
    ):
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    assert Agent.get_by_id(foreign.id).name == "Not yours"
    assert "Not yours" not in api.get("/agents").get_data(as_text=True)


@pytest.mark.parametrize("agent_id", ["agent_missing", "nope", "agent_\u00e9", "%00", "1"])
def test_unknown_agent_ids_are_404(api, holder, agent_id):
    response = api.get(f"/agents/{agent_id}")
    assert response.status_code == 404


def test_agents_are_paged_oldest_first(api, holder):
    made = [make_agent(holder.org, name=f"Agent {n}") for n in range(5)]
    make_agent(make_org(), name="Elsewhere")
    seen, path = [], "/agents?limit=2"
    while path:
        body = api.get(path).get_json()
        assert len(body["data"]) <= 2
        seen += [agent["id"] for agent in body["data"]]
        path = body["next"] and body["next"].removeprefix("/api/v1")
    assert seen == [agent.public_id for agent in made]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=-1", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=WyJ4IiwgMV0", "cursor"),
        ("cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwIiwgIjEiXQ", "cursor"),
    ],
)
def test_bad_paging_parameters_are_422(api, holder, query, field):
    for path in ("/agents", "/calls"):
        response = api.get(f"{path}?{query}")
        assert response.status_code == 422
        assert field in response.get_json()["error"]["fields"]


def test_unknown_query_parameters_are_422(api, holder):
    response = api.get("/agents?limt=10")
    assert response.status_code == 422
    assert "limit, cursor" in response.get_json()["error"]["fields"]["limt"]
    assert api.get("/organization?expand=all").status_code == 422


def test_oversized_body_is_413(api, holder):
    response = api.post("/agents", json={"name": "x", "padding": "y" * 70_000})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert Agent.select().count() == 0
