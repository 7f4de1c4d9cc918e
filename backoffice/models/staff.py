"""Intrlume staff (support and superusers) and the notes they keep on organizations."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, TextField

from ..clock import utcnow
from ..db import BaseModel
from .fields import EmailField
from .organizations import Organization
from .people import new_session_token

STAFF_SUPPORT = "support"
STAFF_SUPERUSER = "superuser"
STAFF_ROLES = (STAFF_SUPPORT, STAFF_SUPERUSER)


class StaffUser(BaseModel):
    email = EmailField(max_length=254, unique=True)
    name = CharField(max_length=200, default="")
    password_hash = CharField(max_length=255)
    role = CharField(max_length=16, default=STAFF_SUPPORT)
    is_active = BooleanField(default=True)
    session_token = CharField(max_length=32, default=new_session_token)
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField(null=True)

    def __str__(self):
        return self.name or self.email

    @property
    def is_superuser(self) -> bool:
        return self.role == STAFF_SUPERUSER


class OrganizationNote(BaseModel):
    organization = ForeignKeyField(Organization, backref="notes", on_delete="CASCADE")
    author = ForeignKeyField(StaffUser, backref="notes")
    body = TextField()
    created_at = DateTimeField(default=utcnow)
