"""The support queue and the mail that feeds it."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, TextField

from ..clock import utcnow
from ..db import BaseModel
from .fields import JSONField, new_public_id
from .organizations import Organization
from .people import User
from .staff import StaffUser

REQUEST_KINDS = (
    "plan_change",
    "plan_renewal",
    "number_add",
    "number_remove",
    "enable_embedding",
    "enable_api_access",
    "org_details",
    "other",
)
REQUEST_SOURCES = ("settings", "email", "staff")
STATE_OPEN = "open"
STATE_IN_PROGRESS = "in_progress"
STATE_DONE = "done"
STATE_REJECTED = "rejected"
REQUEST_STATES = (STATE_OPEN, STATE_IN_PROGRESS, STATE_DONE, STATE_REJECTED)
UNRESOLVED_STATES = (STATE_OPEN, STATE_IN_PROGRESS)


class SupportRequest(BaseModel):
    public_id = CharField(max_length=40, unique=True, default=lambda: new_public_id("req"))
    organization = ForeignKeyField(
        Organization, null=True, backref="support_requests", on_delete="CASCADE"
    )
    requested_by = ForeignKeyField(User, null=True, backref="support_requests")
    requester_email = CharField(max_length=254, default="")
    kind = CharField(max_length=32, default="other")
    details = TextField(default="")
    payload = JSONField(null=True)
    source = CharField(max_length=16, default="settings")
    state = CharField(max_length=16, default=STATE_OPEN)
    needs_triage = BooleanField(default=False)
    assignee = ForeignKeyField(StaffUser, null=True, backref="assigned_requests")
    resolution_note = TextField(default="")
    resolved_by = ForeignKeyField(StaffUser, null=True, backref="resolved_requests")
    mail_message_id = CharField(max_length=998, null=True)
    mail_references = TextField(null=True)
    mail_subject = CharField(max_length=998, null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    resolved_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("state", "created_at"), False),
            (("organization", "kind", "state"), False),
        )

    def __str__(self):
        return f"{self.kind} {self.public_id}"


class InboundMail(BaseModel):
    """Every mail read from the admin@ mailbox, whether it became a request or not."""

    message_id = CharField(max_length=998, null=True, unique=True)
    content_hash = CharField(max_length=64, unique=True)
    received_at = DateTimeField(default=utcnow)
    from_address = CharField(max_length=254, default="")
    subject = CharField(max_length=998, default="")
    headers = JSONField(null=True)
    body_text = TextField(default="")
    status = CharField(max_length=16)  # request | triage | error
    reason = CharField(max_length=500, default="")
    organization = ForeignKeyField(Organization, null=True, on_delete="SET NULL")
    request = ForeignKeyField(SupportRequest, null=True, backref="mails", on_delete="SET NULL")

    class Meta:
        indexes = ((("status", "received_at"), False),)
