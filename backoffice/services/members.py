"""Membership of organizations: invitations and their acceptance."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from .. import mail
from ..clock import utcnow
from ..models import Invitation, Membership, Organization, User
from ..models.people import (
    INVITATION_ACCEPTED,
    INVITATION_EXPIRED,
    INVITATION_PENDING,
    INVITATION_REVOKED,
    ROLES,
)
from ..urls import public_url
from .accounts import normalize_email
from .base import Actor, audit, operation
from .errors import Conflict, Forbidden, ServiceError, ValidationFailed
from .passwords import check_new_password, hash_password


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationFailed({"role": "Choose Admin or Member."})
    return role


def _send_invitation(invitation: Invitation, organization: Organization) -> str:
    """Give the invitation a fresh token, mail its link and return the link."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    link = public_url("auth.accept_invitation", token=token)
    mail.send(
        invitation.email,
        "invitation",
        organization=organization,
        invitation=invitation,
        link=link,
        days=current_app.config["INVITATION_DAYS"],
    )
    return link


@operation
def invite_member(
    actor: Actor, organization: Organization, email: str, role: str, invited_by: User | None = None
) -> tuple[Invitation, str]:
    """Invite an address to the organization; returns the invitation and its link."""
    email = normalize_email(email)
    _check_role(role)
    already_member = (
        Membership.select()
        .join(User)
        .where(Membership.organization == organization, User.email == email)
        .exists()
    )
    if already_member:
        raise Conflict(f"{email} is already a member of {organization.name}.", field="email")
    pending = Invitation.get_or_none(
        Invitation.organization == organization,
        Invitation.email == email,
        Invitation.state == INVITATION_PENDING,
        Invitation.expires_at > utcnow(),
    )
    if pending is not None:
        raise Conflict(f"{email} has already been invited.", field="email")
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        invited_by=invited_by,
        invited_by_label=invited_by.full_name if invited_by else actor.label,
        expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    link = _send_invitation(invitation, organization)
    invitation.save()
    audit(actor, "member.invited", organization, invitation, after={"email": email, "role": role})
    return invitation, link


def invitation_for_token(token: str) -> Invitation:
    """The pending invitation behind a link, or a clear refusal for every other case."""
    invitation = Invitation.get_or_none(Invitation.token_hash == hash_token(token or ""))
    if invitation is None:
        raise ServiceError("This invitation link is not valid.", code="invitation_invalid")
    state = invitation.effective_state
    if state == INVITATION_ACCEPTED:
        raise ServiceError("This invitation has already been used.", code="invitation_used")
    if state == INVITATION_REVOKED:
        raise ServiceError("This invitation has been revoked.", code="invitation_revoked")
    if state == INVITATION_EXPIRED:
        raise ServiceError(
            "This invitation has expired. Ask an admin of the organization to resend it.",
            code="invitation_expired",
        )
    return invitation


@operation
def accept_invitation(
    token: str,
    *,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
    ip: str | None = None,
) -> tuple[User, Membership]:
    """Join the organization: as the signed-in user, or as a new account created here."""
    invitation = invitation_for_token(token)
    if user is not None:
        if user.email != invitation.email:
            raise Forbidden(
                f"This invitation is for {invitation.email}; you are signed in as {user.email}.",
                code="invitation_wrong_account",
            )
    else:
        if User.select().where(User.email == invitation.email).exists():
            raise ServiceError(
                f"An account for {invitation.email} already exists. Log in to accept.",
                code="invitation_login_required",
            )
        errors = {}
        if not first_name.strip():
            errors["first_name"] = "Enter your first name."
        if not last_name.strip():
            errors["last_name"] = "Enter your last name."
        if errors:
            raise ValidationFailed(errors)
        check_new_password(password)
        user = User.create(
            email=invitation.email,
            first_name=first_name.strip()[:100],
            last_name=last_name.strip()[:100],
            password_hash=hash_password(password),
        )
    membership, created = Membership.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    invitation.state = INVITATION_ACCEPTED
    invitation.accepted_at = utcnow()
    invitation.accepted_by = user
    invitation.save()
    actor = Actor("user", user.id, user.email, ip)
    audit(
        actor,
        "member.joined",
        invitation.organization,
        user,
        after={"email": user.email, "role": membership.role, "invitation": invitation.id},
    )
    return user, membership
