"""A team to test Settings with: an organization with an admin and a member, and a stranger."""

from dataclasses import dataclass

import pytest

from backoffice.models import AuditEvent

from ..conftest import login
from ..factories import make_admin, make_member, make_org


@dataclass
class Team:
    org: object
    admin: object
    member: object
    other_org: object
    other_admin: object

    def client(self, app, who: str):
        """A test client signed in as who ('admin', 'member' or 'other_admin'), or anonymous."""
        client = app.test_client()
        if who != "anonymous":
            login(client, getattr(self, who))
        return client


@pytest.fixture
def team(ctx):
    org = make_org(name="Acme Robotics", embedding_enabled=True, api_access_enabled=True)
    other_org = make_org(name="Globex Health", embedding_enabled=True, api_access_enabled=True)
    return Team(
        org=org,
        admin=make_admin(org, first_name="Ada", last_name="Lovelace", email="ada@acme.example"),
        member=make_member(org, first_name="Grace", last_name="Hopper", email="grace@acme.example"),
        other_org=other_org,
        other_admin=make_admin(other_org, email="linus@globex.example"),
    )


@pytest.fixture
def admin_client(app, team):
    return team.client(app, "admin")


@pytest.fixture
def member_client(app, team):
    return team.client(app, "member")


def actions() -> list[str]:
    """Every audit action written so far, oldest first, without sign-ins."""
    return [
        e.action
        for e in AuditEvent.select().order_by(AuditEvent.id)
        if not e.action.endswith("logged_in")
    ]


def text(response) -> str:
    return response.get_data(as_text=True)
