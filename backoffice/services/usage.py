"""Usage against the plan's limits: one source for Settings, the console and the API."""

from dataclasses import dataclass

from ..models import Agent, Call, Organization, UsageCounter
from ..models.organizations import USAGE_METRICS

LABELS = {
    "agents": "Agents",
    "calls": "Calls this period",
    "knowledge_bases": "Knowledge bases",
    "campaigns": "Campaigns",
    "leads": "Leads",
    "integrations": "Integrations",
}
NEAR_LIMIT = 0.8


@dataclass(frozen=True)
class UsageLine:
    metric: str
    label: str
    used: int
    limit: int | None

    @property
    def percent(self) -> int:
        if not self.limit:
            return 0
        return min(100, round(100 * self.used / self.limit))

    @property
    def near_limit(self) -> bool:
        return bool(self.limit) and self.used >= NEAR_LIMIT * self.limit

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.used >= self.limit


def calls_this_period(organization: Organization) -> int:
    query = Call.select().where(Call.organization == organization)
    if organization.period_start is not None:
        query = query.where(Call.started_at >= organization.period_start)
    if organization.period_end is not None:
        query = query.where(Call.started_at < organization.period_end)
    return query.count()


def usage_for(organization: Organization) -> list[UsageLine]:
    """Each metric's use and the plan's limit for it, in the help page's order."""
    counters = dict(
        UsageCounter.select(UsageCounter.metric, UsageCounter.value)
        .where(UsageCounter.organization == organization)
        .tuples()
    )
    used = {
        "agents": Agent.select().where(Agent.organization == organization).count(),
        "calls": calls_this_period(organization),
        **{metric: counters.get(metric, 0) for metric in USAGE_METRICS},
    }
    plan = organization.plan
    return [
        UsageLine(metric, LABELS[metric], used[metric], plan.limit_for(metric) if plan else None)
        for metric in LABELS
    ]
