"""Agents (with their locale snapshot) and the calls they take."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from ..clock import utcnow
from ..db import BaseModel
from .fields import new_public_id
from .organizations import Organization

DIRECTIONS = ("inbound", "outbound")


class Agent(BaseModel):
    public_id = CharField(max_length=40, unique=True, default=lambda: new_public_id("agent"))
    organization = ForeignKeyField(Organization, backref="agents", on_delete="CASCADE")
    name = CharField(max_length=200)
    # Snapshot of the organization's locale when the agent was created or last edited.
    country = CharField(max_length=2)
    currency = CharField(max_length=3)
    timezone = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("organization", "created_at"), False),)

    def __str__(self):
        return f"{self.name} ({self.public_id})"


class Call(BaseModel):
    public_id = CharField(max_length=64, unique=True)
    # Indexed by the (organization, started_at) composite below.
    organization = ForeignKeyField(Organization, backref="calls", on_delete="CASCADE", index=False)
    agent = ForeignKeyField(Agent, backref="calls", on_delete="CASCADE")
    started_at = DateTimeField()
    duration_seconds = IntegerField()
    direction = CharField(max_length=8)
    from_number = CharField(max_length=20)
    to_number = CharField(max_length=20)

    class Meta:
        indexes = ((("organization", "started_at"), False),)
