"""Plans, organizations, their usage counters and staff notes."""

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ..clock import utcnow
from ..db import BaseModel
from .fields import EmailField, new_public_id, random_base62

ORG_ACTIVE = "active"
ORG_SUSPENDED = "suspended"
ORG_STATUSES = (ORG_ACTIVE, ORG_SUSPENDED)
USAGE_METRICS = ("knowledge_bases", "campaigns", "leads", "integrations")


def new_web_agent_key() -> str:
    return f"pk_live_{random_base62(32)}"


class Plan(BaseModel):
    code = CharField(max_length=40, unique=True)
    name = CharField(max_length=100)
    max_agents = IntegerField()
    max_calls_per_period = IntegerField()
    max_knowledge_bases = IntegerField()
    max_campaigns = IntegerField()
    max_leads = IntegerField()
    max_integrations = IntegerField()
    included_credits = BigIntegerField(default=0)
    price = DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = CharField(max_length=3, default="USD")
    period_months = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    def __str__(self):
        return self.name

    def limit_for(self, metric: str) -> int:
        """The plan's limit for a usage metric ('agents', 'calls', 'leads', …)."""
        return getattr(self, "max_calls_per_period" if metric == "calls" else f"max_{metric}")


class Organization(BaseModel):
    public_id = CharField(max_length=40, unique=True, default=lambda: new_public_id("org"))
    name = CharField(max_length=200)
    billing_email = EmailField(max_length=254)
    created_at = DateTimeField(default=utcnow)
    country = CharField(max_length=2, default="US")
    currency = CharField(max_length=3, default="USD")
    timezone = CharField(max_length=64, default="UTC")
    plan = ForeignKeyField(Plan, null=True, backref="organizations", on_delete="RESTRICT")
    period_start = DateTimeField(null=True)
    period_end = DateTimeField(null=True)
    credit_balance = BigIntegerField(default=0)
    embedding_enabled = BooleanField(default=False)
    api_access_enabled = BooleanField(default=False)
    public_key = CharField(max_length=64, unique=True, default=new_web_agent_key)
    allowed_origins = TextField(default="")
    status = CharField(max_length=16, default=ORG_ACTIVE, index=True)
    low_balance_notified_at = DateTimeField(null=True)

    def __str__(self):
        return f"{self.name} ({self.public_id})"

    @property
    def is_active(self) -> bool:
        return self.status == ORG_ACTIVE

    @property
    def origin_list(self) -> list[str]:
        return [line for line in self.allowed_origins.splitlines() if line]


class UsageCounter(BaseModel):
    """Counters the platform reports per organization (knowledge bases, campaigns, …)."""

    organization = ForeignKeyField(Organization, backref="usage_counters", on_delete="CASCADE")
    metric = CharField(max_length=32)
    value = BigIntegerField(default=0)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("organization", "metric"), True),)
