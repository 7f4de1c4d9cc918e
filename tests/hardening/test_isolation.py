"""Tenancy: list pages and API lists never show another organization's rows."""

import pytest

from backoffice.services.base import Actor
from backoffice.services.members import invite_member

from .world import World

SETTINGS_PAGES = [
    "/settings/profile",
    "/settings/organization",
    "/settings/members",
    "/settings/numbers",
    "/settings/web-agent",
    "/settings/api-keys",
    "/settings/billing",
]
API_LISTS = ["/api/v1/organization", "/api/v1/agents", "/api/v1/calls", "/api/v1/ledger"]


@pytest.fixture
def world(ctx):
    world = World.build()
    invite_member(Actor.system("test"), world.other_org, "secret.hire@b.example", "member")
    return world


def other_org_markers(world):
    return [
        world.other_org.name,
        world.other_org.public_id,
        world.other_org.public_key,
        world.other_admin.email,
        world.other_agent.public_id,
        "secret.hire@b.example",
    ]


@pytest.mark.parametrize("path", SETTINGS_PAGES)
def test_settings_pages_show_only_the_current_organization(app, world, path):
    client, _ = world.client_for(app, "admin")
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert world.org.name in page
    for marker in other_org_markers(world):
        assert marker not in page


@pytest.mark.parametrize("path", API_LISTS)
def test_api_lists_show_only_the_keys_organization(app, world, path):
    client, headers = world.client_for(app, "api_key")
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for marker in other_org_markers(world):
        assert marker not in body
