"""The domain model, one module per area."""

from .agents import Agent, Call
from .api_keys import ApiKey
from .audit import AuditEvent, OutboundMail
from .billing import LedgerEntry
from .numbers import PhoneNumber
from .organizations import Organization, Plan, UsageCounter
from .people import Invitation, Membership, User
from .requests import InboundMail, SupportRequest
from .staff import OrganizationNote, StaffUser

ALL_MODELS = [
    Plan,
    Organization,
    UsageCounter,
    User,
    Membership,
    Invitation,
    Agent,
    Call,
    PhoneNumber,
    LedgerEntry,
    ApiKey,
    StaffUser,
    OrganizationNote,
    SupportRequest,
    InboundMail,
    AuditEvent,
    OutboundMail,
]

__all__ = [m.__name__ for m in ALL_MODELS] + ["ALL_MODELS"]
