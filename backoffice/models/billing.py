"""The append-only credit ledger."""

from peewee import BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField

from ..clock import utcnow
from ..db import BaseModel
from .organizations import Organization

LEDGER_KINDS = ("call", "number_rental", "plan_renewal", "credit_grant", "adjustment")


class LedgerEntry(BaseModel):
    organization = ForeignKeyField(Organization, backref="ledger_entries", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    kind = CharField(max_length=16)
    call_id = CharField(max_length=64, null=True, index=True)
    agent_id = CharField(max_length=40, null=True, index=True)
    phone_number = CharField(max_length=20, null=True)
    duration_seconds = IntegerField(null=True)
    credits = BigIntegerField()
    balance_after = BigIntegerField()
    description = CharField(max_length=500, default="")
    idempotency_key = CharField(max_length=200, unique=True)

    class Meta:
        indexes = ((("organization", "created_at", "id"), False),)
