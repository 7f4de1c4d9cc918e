"""A person's own profile: name, email address and phone number."""

import phonenumbers
from peewee import IntegrityError

from ..extensions import database
from ..models import User
from .accounts import normalize_email
from .base import Actor, audit, operation
from .errors import Conflict, ValidationFailed
from .passwords import verify_password

NAME_MAX = 100
PHONE_EXAMPLE = "+1 415 555 0100"


def normalize_phone(raw: str | None, region: str | None = None) -> str | None:
    """The E.164 form of a typed number (None when empty); national numbers use region."""
    text = (raw or "").strip()
    if not text:
        return None
    message = f"Enter a valid phone number, with its country code, such as {PHONE_EXAMPLE}."
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed({"phone": message}) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationFailed({"phone": message})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str | None) -> str:
    """A stored E.164 number written the international way (+1 415-555-0100)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _clean_name(value: str | None, field: str, label: str, errors: dict) -> str:
    text = (value or "").strip()
    if not text or len(text) > NAME_MAX:
        errors[field] = f"Enter your {label} (up to {NAME_MAX} characters)."
    return text


@operation
def update_profile(
    actor: Actor,
    user: User,
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str | None,
    current_password: str = "",
    region: str | None = None,
) -> User:
    """Save a person's own details; a new email address needs the current password."""
    errors: dict[str, str] = {}
    values = {
        "first_name": _clean_name(first_name, "first_name", "first name", errors),
        "last_name": _clean_name(last_name, "last_name", "last name", errors),
    }
    for field, clean in (
        ("email", lambda: normalize_email(email)),
        ("phone", lambda: normalize_phone(phone, region)),
    ):
        try:
            values[field] = clean()
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    if values["email"] != user.email:
        if not verify_password(user.password_hash, current_password or ""):
            message = "Enter your current password to change your email address."
            raise ValidationFailed({"current_password": message})
        taken = User.select().where(User.email == values["email"], User.id != user.id).exists()
        if taken:
            raise Conflict("Another account already uses this email address.", field="email")
    after = {name: value for name, value in values.items() if getattr(user, name) != value}
    if not after:
        return user
    before = {name: getattr(user, name) for name in after}
    try:
        with database.atomic():
            User.update(**after).where(User.id == user.id).execute()
    except IntegrityError as exc:
        # Another account took the address between the check and the write.
        raise Conflict("Another account already uses this email address.", field="email") from exc
    for name, value in after.items():
        setattr(user, name, value)
    audit(actor, "user.profile_updated", target=user, before=before, after=after)
    return user
