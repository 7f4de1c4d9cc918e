"""Intrlume staff accounts."""

from ..models import StaffUser
from ..models.people import new_session_token
from ..models.staff import STAFF_ROLES, STAFF_SUPERUSER
from .accounts import normalize_email
from .base import Actor, audit, operation
from .errors import Conflict, ValidationFailed
from .passwords import check_new_password, hash_password

NAME_MAX = StaffUser.name.max_length


@operation
def create_staff(actor: Actor, email: str, role: str, password: str, name: str = "") -> StaffUser:
    """Create a staff account for the console."""
    email = normalize_email(email)
    if role not in STAFF_ROLES:
        raise ValidationFailed({"role": "Choose support or superuser."})
    if StaffUser.select().where(StaffUser.email == email).exists():
        raise Conflict(f"A staff account for {email} already exists.", field="email")
    name = (name or "").strip()
    if len(name) > NAME_MAX or "\x00" in name:
        raise ValidationFailed({"name": f"Give a name of up to {NAME_MAX} characters, no NUL."})
    check_new_password(password)
    staff = StaffUser.create(
        email=email, role=role, name=name, password_hash=hash_password(password)
    )
    audit(actor, "staff.created", target=staff, after={"email": email, "role": role})
    return staff


def _other_active_superusers(staff: StaffUser) -> int:
    return (
        StaffUser.select()
        .where(
            StaffUser.role == STAFF_SUPERUSER,
            StaffUser.is_active == True,  # noqa: E712 - peewee builds SQL from ==
            StaffUser.id != staff.id,
        )
        .count()
    )


@operation
def change_role(actor: Actor, staff: StaffUser, role: str) -> StaffUser:
    """Make a staff member support or superuser; the last active superuser stays one."""
    if role not in STAFF_ROLES:
        raise ValidationFailed({"role": "Choose support or superuser."})
    if staff.role == role:
        raise Conflict(f"{staff.email} is already {role}.", field="role")
    if staff.role == STAFF_SUPERUSER and staff.is_active and not _other_active_superusers(staff):
        raise Conflict("The last active superuser can't be made support staff.", field="role")
    before = {"role": staff.role}
    staff.role = role
    staff.save(only=[StaffUser.role])
    audit(actor, "staff.role_changed", target=staff, before=before, after={"role": role})
    return staff


@operation
def set_active(actor: Actor, staff: StaffUser, active: bool) -> StaffUser:
    """Deactivate (signing them out everywhere) or reactivate a staff account."""
    if staff.is_active == active:
        state = "active" if active else "deactivated"
        raise Conflict(f"{staff.email} is already {state}.")
    if not active:
        if actor.kind == "staff" and actor.id == staff.id:
            raise Conflict("You can't deactivate your own account.")
        if staff.role == STAFF_SUPERUSER and not _other_active_superusers(staff):
            raise Conflict("The last active superuser can't be deactivated.")
        # A new session token ends every session the account has open.
        staff.session_token = new_session_token()
    staff.is_active = active
    staff.save(only=[StaffUser.is_active, StaffUser.session_token])
    action = "staff.reactivated" if active else "staff.deactivated"
    audit(actor, action, target=staff, before={"active": not active}, after={"active": active})
    return staff
