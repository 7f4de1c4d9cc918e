"""Intrlume staff accounts."""

from ..models import StaffUser
from ..models.staff import STAFF_ROLES
from .accounts import normalize_email
from .base import Actor, audit, operation
from .errors import Conflict, ValidationFailed
from .passwords import check_new_password, hash_password


@operation
def create_staff(actor: Actor, email: str, role: str, password: str, name: str = "") -> StaffUser:
    email = normalize_email(email)
    if role not in STAFF_ROLES:
        raise ValidationFailed({"role": "Choose support or superuser."})
    if StaffUser.select().where(StaffUser.email == email).exists():
        raise Conflict(f"A staff account for {email} already exists.", field="email")
    check_new_password(password)
    staff = StaffUser.create(
        email=email, role=role, name=name.strip(), password_hash=hash_password(password)
    )
    audit(actor, "staff.created", target=staff, after={"email": email, "role": role})
    return staff
