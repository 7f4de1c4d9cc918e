"""The support queue: filing requests, and staff assigning, fulfilling and rejecting them."""

from peewee import Case

from .. import mail
from ..clock import utcnow
from ..db import locked
from ..models import Organization, PhoneNumber, Plan, StaffUser, SupportRequest, User
from ..models.requests import (
    REQUEST_KINDS,
    REQUEST_SOURCES,
    STATE_DONE,
    STATE_IN_PROGRESS,
    STATE_OPEN,
    STATE_REJECTED,
    UNRESOLVED_STATES,
)
from . import ledger, numbers, organizations
from .accounts import normalize_email
from .base import Actor, audit, operation
from .errors import Conflict, ValidationFailed

STAFF_SOURCES = ("email", "staff")
NOTE_MAX = 5000
# PostgreSQL can't store a NUL character in text.
NUL_MESSAGE = "The text can't contain NUL characters."

KIND_LABELS = {
    "plan_change": "Plan change",
    "plan_renewal": "Plan renewal",
    "number_add": "Add a phone number",
    "number_remove": "Remove a phone number",
    "enable_embedding": "Enable embedding",
    "enable_api_access": "Enable API access",
    "org_details": "Organization details change",
    "other": "Other",
}


def unresolved_request(organization: Organization, kind: str) -> SupportRequest | None:
    """The organization's open or in-progress request of this kind, if any."""
    return (
        SupportRequest.select()
        .where(
            SupportRequest.organization == organization,
            SupportRequest.kind == kind,
            SupportRequest.state.in_(UNRESOLVED_STATES),
        )
        .order_by(SupportRequest.created_at.desc())
        .first()
    )


@operation
def file_request(
    actor: Actor,
    organization: Organization | None,
    kind: str,
    details: str = "",
    *,
    requested_by: User | None = None,
    source: str = "settings",
    payload: dict | None = None,
    **mail_fields,
) -> SupportRequest:
    """Put a request into the staff queue; from Settings, at most one open per kind."""
    if kind not in REQUEST_KINDS:
        raise ValidationFailed({"kind": "Choose a kind of request."})
    if source not in REQUEST_SOURCES:
        raise ValidationFailed({"source": "Unknown source."})
    details = (details or "").strip()
    if len(details) > 5000:
        raise ValidationFailed({"details": "Keep the details under 5,000 characters."})
    if "\x00" in details:
        raise ValidationFailed({"details": NUL_MESSAGE})
    if source == "settings" and organization is not None:
        existing = unresolved_request(organization, kind)
        if existing is not None:
            raise Conflict(
                f"{KIND_LABELS[kind]} has already been requested "
                f"({existing.created_at:%Y-%m-%d}); the Intrlume team is on it.",
                code="already_requested",
            )
    request = SupportRequest.create(
        organization=organization,
        requested_by=requested_by,
        requester_email=requested_by.email if requested_by else mail_fields.pop("from_email", ""),
        kind=kind,
        details=details,
        payload=payload,
        source=source,
        **mail_fields,
    )
    audit(
        actor,
        "request.filed",
        organization,
        request,
        after={"kind": kind, "source": source, "details": details[:500]},
    )
    return request


@operation
def log_request(
    actor: Actor,
    organization: Organization,
    kind: str,
    details: str,
    source: str,
    requester_email: str = "",
    payload: dict | None = None,
) -> SupportRequest:
    """File a request that reached staff by email or phone into the queue."""
    if source not in STAFF_SOURCES:
        raise ValidationFailed({"source": "Choose email or staff."})
    if requester_email and requester_email.strip():
        requester_email = normalize_email(requester_email, field="requester_email")
    return file_request(
        actor,
        organization,
        kind,
        details,
        source=source,
        payload=payload,
        from_email=requester_email or "",
    )


def _locked_request(request: SupportRequest) -> SupportRequest:
    request = locked(SupportRequest.select().where(SupportRequest.id == request.id)).get()
    if request.state not in UNRESOLVED_STATES:
        raise Conflict(f"This request is already {request.state.replace('_', ' ')}.")
    return request


@operation
def assign_request(actor: Actor, request: SupportRequest, staff: StaffUser) -> SupportRequest:
    """Take a request: it is assigned to staff and in progress."""
    request = _locked_request(request)
    if request.assignee_id == staff.id:
        raise Conflict("This request is already assigned to you.")
    before = {
        "assignee": request.assignee.email if request.assignee else None,
        "state": request.state,
    }
    request.assignee = staff
    request.state = STATE_IN_PROGRESS
    request.updated_at = utcnow()
    request.save()
    audit(
        actor,
        "request.assigned",
        request.organization,
        request,
        before=before,
        after={"assignee": staff.email, "state": STATE_IN_PROGRESS},
    )
    return request


def _clean_note(note: str, *, required: bool = False, field: str = "note") -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationFailed({field: "Give the reason; it is mailed to the requester."})
    if len(note) > NOTE_MAX:
        raise ValidationFailed({field: f"Keep it under {NOTE_MAX:,} characters."})
    if "\x00" in note:
        raise ValidationFailed({field: NUL_MESSAGE})
    return note


def _perform(actor: Actor, request: SupportRequest, choices: dict) -> str:
    """Make the change the request asks for; returns what was done, in words."""
    kind, organization = request.kind, request.organization
    if kind == "other":
        return "Done."
    if organization is None:
        raise Conflict("Link this request to an organization before fulfilling it.")
    if kind == "enable_api_access":
        if organization.api_access_enabled:
            return "API access was already enabled."
        organizations.set_api_access(actor, organization, True)
        return "API access is now enabled. An admin can generate a key under Settings › API keys."
    if kind == "enable_embedding":
        if organization.embedding_enabled:
            return "Embedding was already enabled."
        organizations.set_embedding(actor, organization, True)
        return "Embedding is now enabled. Admins can set the allowed origins under Web Agent."
    if kind == "plan_change":
        plan = choices.get("plan")
        if not isinstance(plan, Plan):
            raise ValidationFailed({"plan": "Choose the plan to move to."})
        organizations.change_plan(actor, organization, plan)
        return f"Your organization is now on the {plan.name} plan."
    if kind == "plan_renewal":
        ledger.renew_plan(actor, organization)
        return "Your plan has been renewed and its included credits added."
    if kind == "number_add":
        number = choices.get("number")
        if not isinstance(number, PhoneNumber):
            raise ValidationFailed({"number": "Choose a number from the pool."})
        numbers.assign_number(actor, number, organization)
        return f"{number.number} ({number.direction}) is now assigned to your organization."
    if kind == "number_remove":
        number = choices.get("number")
        if not isinstance(number, PhoneNumber):
            raise ValidationFailed({"number": "Choose the number to release."})
        numbers.release_number(actor, number, organization)
        return f"{number.number} has been removed from your organization."
    if kind == "org_details":
        organizations.update_details(
            actor, organization, choices.get("name", ""), choices.get("billing_email", "")
        )
        return "Your organization's details have been updated."
    raise ValidationFailed({"kind": "Unknown kind of request."})


def _thread_headers(request: SupportRequest) -> tuple[dict, str | None]:
    """Reply headers that keep a mailed request's answer in the customer's thread."""
    if request.source != "email" or not request.mail_message_id:
        return {}, None
    references = " ".join(filter(None, [request.mail_references, request.mail_message_id]))
    subject = request.mail_subject or KIND_LABELS[request.kind]
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    headers = {"In-Reply-To": request.mail_message_id, "References": references}
    return headers, subject


def _requester_address(request: SupportRequest) -> str:
    if request.requester_email:
        return request.requester_email
    return request.requested_by.email if request.requested_by_id else ""


def _notify(request: SupportRequest, template: str) -> None:
    address = _requester_address(request)
    if not address:
        return
    headers, thread_subject = _thread_headers(request)
    mail.send(
        address,
        template,
        headers=headers,
        request=request,
        organization=request.organization,
        kind_label=KIND_LABELS[request.kind],
        thread_subject=thread_subject,
    )


def _close(actor, request, staff, state, note, action, extra=None):
    before = {"state": request.state}
    request.state = state
    request.resolution_note = note
    request.resolved_by = staff
    request.resolved_at = request.updated_at = utcnow()
    if request.assignee_id is None:
        request.assignee = staff
    request.save()
    after = {"state": state, "resolution_note": note[:500], **(extra or {})}
    audit(actor, action, request.organization, request, before=before, after=after)


@operation
def fulfil_request(
    actor: Actor, request: SupportRequest, staff: StaffUser, note: str = "", **choices
) -> SupportRequest:
    """Do what the request asks (choices: plan, number, name, billing_email), close it, mail back.

    The change is made by the same service the rest of the console uses, so it writes its own
    audit event; closing the request writes `request.fulfilled`.
    """
    request = _locked_request(request)
    note = _clean_note(note)
    done = _perform(actor, request, choices)
    _close(actor, request, staff, STATE_DONE, note or done, "request.fulfilled")
    _notify(request, "request_resolved")
    return request


@operation
def reject_request(
    actor: Actor, request: SupportRequest, staff: StaffUser, reason: str
) -> SupportRequest:
    """Close a request without doing it, with a reason the requester receives by mail."""
    request = _locked_request(request)
    reason = _clean_note(reason, required=True, field="reason")
    _close(actor, request, staff, STATE_REJECTED, reason, "request.rejected")
    _notify(request, "request_rejected")
    return request


def open_first(query):
    """Order a request query: open, then in progress, then closed; oldest first within each."""
    rank = Case(SupportRequest.state, ((STATE_OPEN, 0), (STATE_IN_PROGRESS, 1)), 2)
    return query.order_by(rank, SupportRequest.created_at, SupportRequest.id)
