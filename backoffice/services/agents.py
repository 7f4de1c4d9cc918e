"""Agents: each carries a snapshot of its organization's locale, taken on create and edit."""

from ..clock import utcnow
from ..db import locked
from ..models import Agent, Organization
from .base import Actor, audit, operation
from .errors import LimitReached, ValidationFailed

NAME_MAX = 200


def locale_snapshot(organization: Organization) -> dict:
    """The organization's locale as it is now; agents keep it until they are next edited."""
    return {
        "country": organization.country,
        "currency": organization.currency,
        "timezone": organization.timezone,
    }


def _clean_name(name) -> str:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME_MAX:
        raise ValidationFailed({"name": f"Enter a name of 1 to {NAME_MAX} characters."})
    return name.strip()


@operation
def create_agent(actor: Actor, organization: Organization, name: str) -> Agent:
    """Create an agent within the plan's agent limit, snapshotting the organization's locale."""
    name = _clean_name(name)
    # Lock the organization row so two creations can't both slip under the limit.
    organization = locked(Organization.select().where(Organization.id == organization.id)).get()
    plan = organization.plan
    count = Agent.select().where(Agent.organization == organization).count()
    if plan is not None and count >= plan.max_agents:
        raise LimitReached(
            f"Your plan allows {plan.max_agents} agents; this organization has {count}."
        )
    agent = Agent.create(organization=organization, name=name, **locale_snapshot(organization))
    audit(actor, "agent.created", organization, agent, after={"name": name, **agent_locale(agent)})
    return agent


@operation
def update_agent(actor: Actor, agent: Agent, name: str | None = None) -> Agent:
    """Edit an agent; its locale snapshot is refreshed from the organization's current locale."""
    before = {"name": agent.name, **agent_locale(agent)}
    if name is not None:
        agent.name = _clean_name(name)
    organization = Organization.get_by_id(agent.organization_id)
    for key, value in locale_snapshot(organization).items():
        setattr(agent, key, value)
    agent.updated_at = utcnow()
    agent.save()
    after = {"name": agent.name, **agent_locale(agent)}
    audit(actor, "agent.updated", organization, agent, before=before, after=after)
    return agent


def agent_locale(agent: Agent) -> dict:
    return {"country": agent.country, "currency": agent.currency, "timezone": agent.timezone}
