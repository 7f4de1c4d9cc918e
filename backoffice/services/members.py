"""Membership of organizations: invitations, their acceptance, roles and removal."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from .. import mail
from ..clock import utcnow
from ..db import locked
from ..models import Invitation, Membership, Organization, User
from ..models.people import (
    INVITATION_ACCEPTED,
    INVITATION_EXPIRED,
    INVITATION_PENDING,
    INVITATION_REVOKED,
    ROLE_ADMIN,
    ROLES,
    new_session_token,
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
    # An earlier invitation that ran out is superseded by this one rather than left pending.
    Invitation.update(state=INVITATION_EXPIRED).where(
        Invitation.organization == organization,
        Invitation.email == email,
        Invitation.state == INVITATION_PENDING,
    ).execute()
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


def members_of(organization: Organization) -> list[Membership]:
    """The organization's memberships with their users, admins first, then by name."""
    return list(
        Membership.select(Membership, User)
        .join(User)
        .where(Membership.organization == organization)
        .order_by(Membership.role, User.first_name, User.last_name, User.email)
    )


def open_invitations(organization: Organization) -> list[Invitation]:
    """Invitations not yet accepted or revoked, expired ones included so they can be resent."""
    return list(
        Invitation.select()
        .where(Invitation.organization == organization, Invitation.state == INVITATION_PENDING)
        .order_by(Invitation.created_at.desc())
    )


def _refuse_losing_last_admin(membership: Membership, refusal: str) -> None:
    """Refuse when membership is its organization's only admin (admin rows locked meanwhile)."""
    if membership.role != ROLE_ADMIN:
        return
    admins = locked(
        Membership.select(Membership.id).where(
            Membership.organization == membership.organization_id,
            Membership.role == ROLE_ADMIN,
        )
    )
    if len(list(admins)) <= 1:
        raise Conflict(refusal, code="last_admin")


@operation
def change_role(actor: Actor, membership: Membership, role: str) -> Membership:
    """Make a member an admin or an admin a member; the last admin stays an admin."""
    _check_role(role)
    if role == membership.role:
        return membership
    if role != ROLE_ADMIN:
        _refuse_losing_last_admin(
            membership,
            f"{membership.user.full_name} is the last admin of {membership.organization.name}; "
            "make someone else an admin first.",
        )
    before = {"role": membership.role}
    membership.role = role
    Membership.update(role=role).where(Membership.id == membership.id).execute()
    audit(
        actor,
        "member.role_changed",
        membership.organization,
        membership.user,
        before=before,
        after={"role": role},
    )
    return membership


@operation
def remove_member(actor: Actor, membership: Membership) -> None:
    """Take someone out of the organization; their sessions end, so access stops at once."""
    _refuse_losing_last_admin(
        membership,
        f"{membership.user.full_name} is the last admin of {membership.organization.name} "
        "and can't be removed; make someone else an admin first.",
    )
    Membership.delete().where(Membership.id == membership.id).execute()
    User.update(session_token=new_session_token()).where(User.id == membership.user_id).execute()
    audit(
        actor,
        "member.removed",
        membership.organization,
        membership.user,
        before={"email": membership.user.email, "role": membership.role},
    )


@operation
def leave_organization(actor: Actor, membership: Membership) -> None:
    """Leave an organization oneself; the last admin can't."""
    _refuse_losing_last_admin(
        membership,
        f"You are the last admin of {membership.organization.name}; "
        "make someone else an admin before you leave.",
    )
    Membership.delete().where(Membership.id == membership.id).execute()
    audit(
        actor,
        "member.left",
        membership.organization,
        membership.user,
        before={"email": membership.user.email, "role": membership.role},
    )


@operation
def resend_invitation(actor: Actor, invitation: Invitation) -> str:
    """Mail an open invitation again with a new link and a fresh expiry; the old link dies."""
    if invitation.state != INVITATION_PENDING:
        raise Conflict("This invitation is no longer open.", code="invitation_closed")
    organization = invitation.organization
    already_member = (
        Membership.select()
        .join(User)
        .where(Membership.organization == organization, User.email == invitation.email)
        .exists()
    )
    if already_member:
        raise Conflict(f"{invitation.email} is already a member of {organization.name}.")
    before = {"expires_at": invitation.expires_at, "state": invitation.effective_state}
    invitation.state = INVITATION_PENDING
    invitation.expires_at = utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"])
    link = _send_invitation(invitation, organization)
    invitation.save()
    audit(
        actor,
        "member.invitation_resent",
        organization,
        invitation,
        before=before,
        after={"expires_at": invitation.expires_at, "state": INVITATION_PENDING},
    )
    return link


@operation
def revoke_invitation(actor: Actor, invitation: Invitation) -> None:
    """Withdraw an open invitation; its link stops working."""
    if invitation.state != INVITATION_PENDING:
        raise Conflict("This invitation is no longer open.", code="invitation_closed")
    before = {"state": invitation.effective_state}
    invitation.state = INVITATION_REVOKED
    invitation.revoked_at = utcnow()
    invitation.save()
    audit(
        actor,
        "member.invitation_revoked",
        invitation.organization,
        invitation,
        before=before,
        after={"state": INVITATION_REVOKED, "email": invitation.email},
    )
