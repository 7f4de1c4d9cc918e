"""Secret API keys: only their hash is stored."""

from peewee import CharField, DateTimeField, ForeignKeyField

from ..clock import utcnow
from ..db import BaseModel
from .organizations import Organization
from .people import User


class ApiKey(BaseModel):
    organization = ForeignKeyField(Organization, backref="api_keys", on_delete="CASCADE")
    key_hash = CharField(max_length=64, unique=True)
    prefix = CharField(max_length=16)
    last_four = CharField(max_length=4)
    created_by = ForeignKeyField(User, null=True, backref="api_keys", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("organization", "revoked_at"), False),)

    @property
    def display(self) -> str:
        return f"{self.prefix}…{self.last_four}"
