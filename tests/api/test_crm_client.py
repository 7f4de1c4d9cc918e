"""The example CRM client, run as its own process against the app served on 127.0.0.1."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from backoffice.models import Agent, AuditEvent

from ..browser.conftest import LiveServer
from ..conftest import login
from ..factories import make_admin, make_agent, make_org, make_plan
from .conftest import key_for

CLIENT = Path(__file__).resolve().parents[2] / "examples" / "crm_client.py"


@pytest.fixture(scope="module")
def server(app):
    live = LiveServer(app)
    live.start()
    yield live
    live.stop()


SECRET = re.compile(r"sk_live_[0-9A-Za-z]{49}")


def run_client(server, *args, key):
    return subprocess.run(
        [sys.executable, str(CLIENT), "--base-url", server.url, "--key", key, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def key_from_settings(client, org) -> str:
    """Generate the organization's key as its admin does, on Settings → API keys."""
    login(client, make_admin(org))
    page = client.post("/settings/api-keys/generate", data={"confirm": "yes"})
    assert page.status_code == 200, page.get_data(as_text=True)
    return SECRET.search(page.get_data(as_text=True)).group(0)


def test_client_lists_and_creates_agents_with_a_key_from_settings(server, client, ctx):
    org = make_org(plan=make_plan(max_agents=200), api_access_enabled=True)
    secret = key_from_settings(client, org)
    made = [make_agent(org, name=f"Agent {n:03d}") for n in range(105)]
    make_agent(make_org(), name="Someone else's")

    listed = run_client(server, key=secret)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    # 105 agents: the client follows the `next` link past the first page of 100.
    assert [line.split("\t")[0] for line in lines] == [agent.public_id for agent in made]
    assert "Someone else's" not in listed.stdout

    created = run_client(server, "create", "Front desk", key=secret)
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("created agent_")
    agent = Agent.get(Agent.name == "Front desk")
    assert agent.organization_id == org.id
    event = AuditEvent.get(AuditEvent.action == "agent.created")
    assert event.actor_type == "api_key"
    assert event.ip_address == "127.0.0.1"


def test_client_reports_api_errors(server, ctx):
    holder = key_for(make_org(plan=make_plan(max_agents=0)))
    refused = run_client(server, "create", "One too many", key=holder.secret)
    assert refused.returncode == 1
    assert "403 plan_limit_reached" in refused.stderr
    bad_key = run_client(server, "list", key=holder.secret[:-1])
    assert bad_key.returncode == 1
    assert "401 invalid_api_key" in bad_key.stderr


def test_regenerating_in_settings_cuts_the_old_key_off(server, client, ctx):
    org = make_org(api_access_enabled=True)
    old_secret = key_from_settings(client, org)
    assert run_client(server, key=old_secret).returncode == 0
    new_secret = SECRET.search(
        client.post("/settings/api-keys/generate", data={"confirm": "yes"}).get_data(as_text=True)
    ).group(0)
    refused = run_client(server, key=old_secret)
    assert refused.returncode == 1
    assert "401 invalid_api_key" in refused.stderr
    assert run_client(server, key=new_secret).returncode == 0
