"""The support queue: filing requests (the console adds working them)."""

from ..models import Organization, SupportRequest, User
from ..models.requests import REQUEST_KINDS, REQUEST_SOURCES, UNRESOLVED_STATES
from .base import Actor, audit, operation
from .errors import Conflict, ValidationFailed

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
