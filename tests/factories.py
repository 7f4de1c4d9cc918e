"""Small factories with sensible defaults: make_org(**overrides) and friends."""

import itertools
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher

from backoffice.clock import utcnow
from backoffice.models import (
    Agent,
    Membership,
    Organization,
    PhoneNumber,
    Plan,
    StaffUser,
    User,
)

PASSWORD = "correct horse battery staple"  # noqa: S105
_serial = itertools.count(1)


@cache
def password_hash() -> str:
    """One argon2id hash for every factory-made account, with cheap parameters.

    argon2 is slow on purpose; verification reads its parameters from the hash, so a cheap
    hash keeps thousands of test logins fast while still exercising the real verifier.
    """
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def make_plan(**overrides) -> Plan:
    n = next(_serial)
    values = {
        "code": f"plan{n}",
        "name": f"Plan {n}",
        "max_agents": 5,
        "max_calls_per_period": 1000,
        "max_knowledge_bases": 5,
        "max_campaigns": 5,
        "max_leads": 1000,
        "max_integrations": 5,
        "included_credits": 10_000,
        "price": "99.00",
    }
    values.update(overrides)
    return Plan.create(**values)


def make_org(**overrides) -> Organization:
    n = next(_serial)
    now = utcnow().replace(microsecond=0)
    values = {
        "name": f"Org {n}",
        "billing_email": f"billing{n}@org{n}.example",
        "period_start": now - timedelta(days=3),
        "period_end": now + timedelta(days=27),
    }
    if "plan" not in overrides:
        values["plan"] = make_plan()
    values.update(overrides)
    return Organization.create(**values)


def make_user(**overrides) -> User:
    n = next(_serial)
    values = {
        "email": f"user{n}@example.com",
        "first_name": "Test",
        "last_name": f"User{n}",
        "password_hash": password_hash(),
    }
    values.update(overrides)
    return User.create(**values)


def make_member(org: Organization | None = None, role: str = "member", **user_overrides) -> User:
    user = make_user(**user_overrides)
    Membership.create(user=user, organization=org or make_org(), role=role)
    return user


def make_admin(org: Organization | None = None, **user_overrides) -> User:
    return make_member(org, "admin", **user_overrides)


def make_staff(role: str = "support", **overrides) -> StaffUser:
    n = next(_serial)
    values = {
        "email": f"staff{n}@intrlume.tech",
        "name": f"Staff {n}",
        "role": role,
        "password_hash": password_hash(),
    }
    values.update(overrides)
    return StaffUser.create(**values)


def make_agent(org: Organization, **overrides) -> Agent:
    values = {
        "organization": org,
        "name": f"Agent {next(_serial)}",
        "country": org.country,
        "currency": org.currency,
        "timezone": org.timezone,
    }
    values.update(overrides)
    return Agent.create(**values)


def make_number(org: Organization | None = None, **overrides) -> PhoneNumber:
    values = {
        "number": f"+1415555{next(_serial):04d}",
        "direction": "outbound",
        "monthly_cost": 500,
        "organization": org,
        "assigned_at": utcnow() if org else None,
    }
    values.update(overrides)
    return PhoneNumber.create(**values)
