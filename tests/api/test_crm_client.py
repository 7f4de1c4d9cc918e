"""The example CRM client, run as its own process against the app served on 127.0.0.1."""

import subprocess
import sys
from pathlib import Path

import pytest

from backoffice.models import Agent, AuditEvent

from ..browser.conftest import LiveServer
from ..factories import make_agent, make_org, make_plan
from .conftest import key_for

CLIENT = Path(__file__).resolve().parents[2] / "examples" / "crm_client.py"


@pytest.fixture(scope="module")
def server(app):
    live = LiveServer(app)
    live.start()
    yield live
    live.stop()


def run_client(server, *args, key):
    return subprocess.run(
        [sys.executable, str(CLIENT), "--base-url", server.url, "--key", key, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_client_lists_and_creates_agents(server, ctx):
    holder = key_for(make_org(plan=make_plan(max_agents=200)))
    made = [make_agent(holder.org, name=f"Agent {n:03d}") for n in range(105)]
    make_agent(make_org(), name="Someone else's")

    listed = run_client(server, "list", key=holder.secret)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    # 105 agents: the client follows the `next` link past the first page of 100.
    assert [line.split("\t")[0] for line in lines] == [agent.public_id for agent in made]
    assert "Someone else's" not in listed.stdout

    created = run_client(server, "create", "Front desk", key=holder.secret)
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("created agent_")
    agent = Agent.get(Agent.name == "Front desk")
    assert agent.organization_id == holder.org.id
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
