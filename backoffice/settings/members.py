"""Members tab: the team, invitations, roles and removal."""

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user

from ..extensions import limiter
from ..models import Invitation, Membership, User
from ..permissions import (
    admin_required,
    current_membership,
    member_required,
    org_object_or_404,
    user_actor,
)
from ..services import members as team
from ..services.errors import ServiceError
from .forms import InviteForm, RoleForm
from .views import bp, fresh_login_required, service_refused

BACK = "settings.members"


def _organization_key() -> str:
    """Invitations are rate limited per organization, whoever sends them."""
    membership = current_membership()
    return f"invite:{membership.organization.public_id if membership else 'anonymous'}"


def _role_form(membership: Membership, **kwargs) -> RoleForm:
    return RoleForm(prefix=f"member-{membership.id}", role=membership.role, **kwargs)


def _page(invite_form=None, failed_role: tuple[int, RoleForm] | None = None) -> str:
    memberships = team.members_of(g.org)
    role_forms = {m.id: _role_form(m, formdata=None) for m in memberships}
    if failed_role is not None:
        role_forms[failed_role[0]] = failed_role[1]
    return render_template(
        "settings/members.html",
        memberships=memberships,
        invitations=team.open_invitations(g.org),
        invite_form=invite_form or InviteForm(formdata=None),
        role_forms=role_forms,
        admin_count=sum(m.is_admin for m in memberships),
    )


def _membership_or_404(membership_id: int) -> Membership:
    return org_object_or_404(Membership.select(Membership, User).join(User), id=membership_id)


def _invitation_or_404(invitation_id: int) -> Invitation:
    return org_object_or_404(Invitation.select(), id=invitation_id)


@bp.route("/members")
@member_required
def members():
    return _page()


@bp.route("/members/invite", methods=["POST"])
@limiter.limit(
    lambda: current_app.config["INVITE_RATE_LIMIT"], key_func=_organization_key, methods=["POST"]
)
@admin_required
def members_invite():
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(invite_form=form), 400
    try:
        invitation, _ = team.invite_member(
            user_actor(),
            g.org,
            form.email.data,
            form.role.data,
            invited_by=current_user._get_current_object(),
        )
    except ServiceError as exc:
        return service_refused(_page, "invite_form", form, exc)
    flash(f"Invitation sent to {invitation.email}.", "success")
    return redirect(url_for(BACK))


@bp.route("/members/<int:membership_id>/role", methods=["POST"])
@admin_required
@fresh_login_required(BACK)
def members_change_role(membership_id):
    membership = _membership_or_404(membership_id)
    form = _role_form(membership)
    if not form.validate_on_submit():
        return _page(failed_role=(membership.id, form)), 400
    try:
        team.change_role(user_actor(), membership, form.role.data)
    except ServiceError as exc:
        flash(exc.message, "danger")
        return _page(failed_role=(membership.id, form)), exc.status
    flash(f"{membership.user.full_name} is now {membership.role.capitalize()}.", "success")
    return redirect(url_for(BACK))


@bp.route("/members/<int:membership_id>/remove", methods=["POST"])
@admin_required
def members_remove(membership_id):
    membership = _membership_or_404(membership_id)
    removing_oneself = membership.user_id == current_user.id
    remove = team.leave_organization if removing_oneself else team.remove_member
    try:
        remove(user_actor(), membership)
    except ServiceError as exc:
        flash(exc.message, "danger")
        return _page(), exc.status
    if removing_oneself:
        flash(f"You have left {g.org.name}.", "success")
        return redirect(url_for("settings.profile"))
    flash(f"{membership.user.full_name} has been removed from {g.org.name}.", "success")
    return redirect(url_for(BACK))


@bp.route("/members/leave", methods=["POST"])
@member_required
def members_leave():
    try:
        team.leave_organization(user_actor(), g.membership)
    except ServiceError as exc:
        flash(exc.message, "danger")
        return _page(), exc.status
    flash(f"You have left {g.org.name}.", "success")
    return redirect(url_for("settings.profile"))


def _invitation_action(invitation_id: int, perform, done: str):
    """Run one service on an invitation of this organization and say what happened."""
    invitation = _invitation_or_404(invitation_id)
    try:
        perform(user_actor(), invitation)
    except ServiceError as exc:
        flash(exc.message, "danger")
        return _page(), exc.status
    flash(done.format(email=invitation.email), "success")
    return redirect(url_for(BACK))


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@admin_required
def members_resend_invitation(invitation_id):
    return _invitation_action(
        invitation_id, team.resend_invitation, "Invitation sent again to {email}."
    )


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@admin_required
def members_revoke_invitation(invitation_id):
    return _invitation_action(
        invitation_id, team.revoke_invitation, "The invitation for {email} has been revoked."
    )
