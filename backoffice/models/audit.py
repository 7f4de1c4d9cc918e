"""The append-only audit trail and the outbox of mail the app sends."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from ..clock import utcnow
from ..db import BaseModel
from .fields import JSONField
from .organizations import Organization

ACTOR_KINDS = ("user", "staff", "api_key", "system")


class AuditEvent(BaseModel):
    created_at = DateTimeField(default=utcnow)
    actor_type = CharField(max_length=16)
    actor_id = IntegerField(null=True)
    actor_label = CharField(max_length=254, default="")
    organization = ForeignKeyField(
        Organization, null=True, backref="audit_events", on_delete="CASCADE"
    )
    action = CharField(max_length=64, index=True)
    target_type = CharField(max_length=32, default="")
    target_id = CharField(max_length=64, default="")
    before = JSONField(null=True)
    after = JSONField(null=True)
    ip_address = CharField(max_length=45, null=True)

    class Meta:
        indexes = ((("organization", "created_at"), False), (("created_at",), False))


class OutboundMail(BaseModel):
    """Every mail the app sends, kept so a failed delivery is retried rather than lost."""

    created_at = DateTimeField(default=utcnow)
    to_address = CharField(max_length=254)
    subject = CharField(max_length=998)
    body_text = TextField()
    body_html = TextField(null=True)
    headers = JSONField(null=True)
    status = CharField(max_length=16, default="pending", index=True)  # pending | sent | failed
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    sent_at = DateTimeField(null=True)
