"""A small world with two organizations and every kind of caller, for access tests."""

from dataclasses import dataclass, field

from backoffice.models import ApiKey
from backoffice.services.api_keys import hash_secret, make_secret

from ..conftest import login, staff_login
from ..factories import (
    make_admin,
    make_agent,
    make_member,
    make_number,
    make_org,
    make_staff,
)

CALLERS = (
    "anonymous",
    "member",
    "admin",
    "other_admin",
    "api_key",
    "other_api_key",
    "support",
    "superuser",
)


def _key_for(org):
    secret = make_secret()
    ApiKey.create(
        organization=org,
        key_hash=hash_secret(secret),
        prefix=secret[:12],
        last_four=secret[-4:],
    )
    return secret


@dataclass
class World:
    org: object
    other_org: object
    member: object
    admin: object
    other_admin: object
    agent: object
    other_agent: object
    number: object
    secrets: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)

    @classmethod
    def build(cls):
        org = make_org(name="Org A", api_access_enabled=True, embedding_enabled=True)
        other_org = make_org(name="Org B", api_access_enabled=True, embedding_enabled=True)
        world = cls(
            org=org,
            other_org=other_org,
            member=make_member(org),
            admin=make_admin(org),
            other_admin=make_admin(other_org),
            agent=make_agent(org),
            other_agent=make_agent(other_org),
            number=make_number(org),
        )
        world.secrets = {"api_key": _key_for(org), "other_api_key": _key_for(other_org)}
        world.staff = {"support": make_staff("support"), "superuser": make_staff("superuser")}
        return world

    def client_for(self, app, caller):
        """A test client signed in as caller (API callers carry their key in a header)."""
        client = app.test_client()
        headers = {}
        if caller in ("member", "admin", "other_admin"):
            login(client, getattr(self, caller))
        elif caller in ("support", "superuser"):
            staff_login(client, self.staff[caller])
        elif caller in ("api_key", "other_api_key"):
            headers["Authorization"] = f"Bearer {self.secrets[caller]}"
        return client, headers
