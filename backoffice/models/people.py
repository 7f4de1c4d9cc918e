"""Customer users, their memberships in organizations and invitations."""

import secrets

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from ..clock import utcnow
from ..db import BaseModel
from .fields import EmailField
from .organizations import Organization

ROLE_ADMIN = "admin"
ROLE_MEMBER = "member"
ROLES = (ROLE_ADMIN, ROLE_MEMBER)

INVITATION_PENDING = "pending"
INVITATION_ACCEPTED = "accepted"
INVITATION_REVOKED = "revoked"
INVITATION_EXPIRED = "expired"


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(BaseModel):
    email = EmailField(max_length=254, unique=True)
    first_name = CharField(max_length=100, default="")
    last_name = CharField(max_length=100, default="")
    phone = CharField(max_length=20, null=True)
    password_hash = CharField(max_length=255, null=True)
    # Rotated on logout, password change and removal so every copy of a session cookie dies.
    session_token = CharField(max_length=32, default=new_session_token)
    is_active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField(null=True)

    def __str__(self):
        return self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


class Membership(BaseModel):
    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE")
    organization = ForeignKeyField(Organization, backref="memberships", on_delete="CASCADE")
    role = CharField(max_length=16, default=ROLE_MEMBER)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "organization"), True), (("organization", "role"), False))

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN


class Invitation(BaseModel):
    organization = ForeignKeyField(Organization, backref="invitations", on_delete="CASCADE")
    email = EmailField(max_length=254, index=True)
    role = CharField(max_length=16, default=ROLE_MEMBER)
    invited_by = ForeignKeyField(User, null=True, backref="sent_invitations")
    invited_by_label = CharField(max_length=254, default="")
    token_hash = CharField(max_length=64, unique=True)
    state = CharField(max_length=16, default=INVITATION_PENDING)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    accepted_at = DateTimeField(null=True)
    accepted_by = ForeignKeyField(User, null=True, backref="accepted_invitations")
    revoked_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("organization", "state"), False),)

    @property
    def effective_state(self) -> str:
        """The stored state, with a pending invitation past its expiry reported as expired."""
        if self.state == INVITATION_PENDING and self.expires_at <= utcnow():
            return INVITATION_EXPIRED
        return self.state
