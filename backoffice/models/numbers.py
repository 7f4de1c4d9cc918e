"""Phone numbers: Intrlume's pool and the numbers assigned to organizations."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from ..clock import utcnow
from ..db import BaseModel
from .organizations import Organization

NUMBER_DIRECTIONS = ("inbound", "outbound")


class PhoneNumber(BaseModel):
    number = CharField(max_length=20, unique=True)
    direction = CharField(max_length=8)
    monthly_cost = IntegerField(help_text="credits per month")
    organization = ForeignKeyField(
        Organization, null=True, backref="phone_numbers", on_delete="SET NULL"
    )
    assigned_at = DateTimeField(null=True)
    released_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("organization", "direction"), False),)

    def __str__(self):
        return self.number
