"""Customer and staff accounts: sign-in, sessions, password reset and change."""

import hashlib

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .. import mail
from ..clock import utcnow
from ..models import StaffUser, User
from ..models.people import new_session_token
from ..urls import public_url
from .base import Actor, audit, operation
from .errors import ServiceError, ValidationFailed
from .passwords import check_new_password, hash_password, verify_password

RESET_SALT = "password-reset"


def normalize_email(raw: str, *, field: str = "email") -> str:
    """A syntactically valid address, lower-cased; refuses anything else with a message."""
    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed({field: f"Enter a valid email address ({exc})."}) from exc


def _lookup_email(raw: str) -> str:
    """The lookup form of a typed address; never raises, so a bad address is just unknown."""
    # PostgreSQL refuses NUL in a query; no stored address has one, so it just matches nothing.
    return (raw or "").strip().lower().replace("\x00", "\ufffd")


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None; same cost either way."""
    user = User.get_or_none(User.email == _lookup_email(email))
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user.is_active else None


def authenticate_staff(email: str, password: str) -> StaffUser | None:
    staff = StaffUser.get_or_none(StaffUser.email == _lookup_email(email))
    ok = verify_password(staff.password_hash if staff else None, password)
    return staff if ok and staff.is_active else None


@operation
def record_login(actor: Actor, account) -> None:
    type(account).update(last_login_at=utcnow()).where(type(account).id == account.id).execute()
    audit(actor, f"{'staff' if isinstance(account, StaffUser) else 'user'}.logged_in")


@operation
def end_all_sessions(actor: Actor, account) -> None:
    """Rotate the account's session token: every copy of its session cookie stops working."""
    account.session_token = new_session_token()
    type(account).update(session_token=account.session_token).where(
        type(account).id == account.id
    ).execute()
    audit(actor, f"{'staff' if isinstance(account, StaffUser) else 'user'}.logged_out")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    # Changes with the password, so a used (or superseded) link no longer matches.
    material = f"{user.password_hash}|{user.session_token}".encode()
    return hashlib.sha256(material).hexdigest()[:20]


@operation
def request_password_reset(email: str, ip: str | None = None) -> None:
    """Mail a reset link when the address has an account; silent otherwise."""
    user = User.get_or_none(User.email == _lookup_email(email))
    if user is None or not user.is_active:
        return
    token = _serializer().dumps({"u": user.id, "f": _fingerprint(user)})
    audit(Actor("user", user.id, user.email, ip), "user.password_reset_requested", target=user)
    mail.send(
        user.email,
        "password_reset",
        user=user,
        link=public_url("auth.reset_password", token=token),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def user_for_reset_token(token: str) -> User:
    """The user a reset link belongs to; refuses expired, tampered and already-used links."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as exc:
        raise ServiceError("This reset link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise ServiceError("This reset link is not valid.") from exc
    user = User.get_or_none(User.id == data.get("u"))
    if user is None or _fingerprint(user) != data.get("f"):
        raise ServiceError("This reset link has already been used. Ask for a new one.")
    return user


@operation
def reset_password(token: str, new_password: str, ip: str | None = None) -> User:
    user = user_for_reset_token(token)
    check_new_password(new_password)
    _set_password(user, new_password)
    audit(Actor("user", user.id, user.email, ip), "user.password_reset", target=user)
    return user


@operation
def change_password(actor: Actor, user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise ValidationFailed({"current_password": "The current password is not right."})  # nosec B105
    check_new_password(new_password, field="new_password")
    _set_password(user, new_password)
    audit(actor, "user.password_changed", target=user)


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    user.save(only=[User.password_hash, User.session_token])
