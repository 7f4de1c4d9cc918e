"""Reading the organization, its usage and its calls."""

from datetime import timedelta

from backoffice.clock import utcnow
from backoffice.models import UsageCounter

from ..factories import make_agent, make_org, make_plan
from .conftest import key_for, make_call


def test_organization_shows_plan_and_locale(api, holder):
    body = api.get("/organization").get_json()
    assert body["plan"]["code"] == holder.org.plan.code
    assert body["web_agent_public_key"] == holder.org.public_key
    assert body["api_access_enabled"] is True
    assert body["created_at"].endswith("Z")


def test_usage_counts_against_the_plan(client, ctx):
    holder = key_for(make_org(plan=make_plan(max_agents=3, max_leads=50)))
    make_agent(holder.org)
    UsageCounter.create(organization=holder.org, metric="leads", value=7)
    body = client.get("/api/v1/usage", headers=holder.headers).get_json()
    usage = {line["metric"]: line for line in body["data"]}
    assert usage["agents"]["used"] == 1
    assert usage["agents"]["limit"] == 3
    assert usage["leads"] == {"metric": "leads", "label": "Leads", "used": 7, "limit": 50}


def test_calls_are_newest_first_and_paged_without_gaps(api, holder):
    agent = make_agent(holder.org)
    start = utcnow().replace(microsecond=0) - timedelta(hours=1)
    # Two calls share a start time so the cursor has to break the tie by id.
    times = [start, start + timedelta(minutes=1), start + timedelta(minutes=1), start]
    times += [start + timedelta(minutes=n) for n in range(2, 7)]
    calls = [make_call(holder.org, agent, t, n) for n, t in enumerate(times)]
    make_call(make_org(), make_agent(make_org()), start, 999)
    newest_first = sorted(calls, key=lambda c: (c.started_at, c.id), reverse=True)
    expected = [c.public_id for c in newest_first]
    seen, path = [], "/calls?limit=3"
    while path:
        body = api.get(path).get_json()
        seen += [call["id"] for call in body["data"]]
        path = body["next"] and body["next"].removeprefix("/api/v1")
    assert seen == expected
    first = api.get("/calls?limit=1").get_json()["data"][0]
    assert first["agent_id"] == agent.public_id
    assert first["started_at"].endswith("Z")
