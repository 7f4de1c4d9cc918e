"""Password hashing (argon2id) and the rules a new password must meet."""

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import ValidationFailed

MIN_LENGTH = 12
MAX_LENGTH = 256
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified when no account matches, so an unknown email costs the same time as a known one.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-for-timing")


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("backoffice").joinpath("data/common-passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when password matches; spends the same time when there is no hash at all."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def check_new_password(password: str, *, field: str = "password") -> None:
    """Refuse a password that is short, huge or common; no composition rules."""
    if len(password) < MIN_LENGTH:
        raise ValidationFailed({field: f"Use at least {MIN_LENGTH} characters."})
    if len(password) > MAX_LENGTH:
        raise ValidationFailed({field: f"Use at most {MAX_LENGTH} characters."})
    if password.lower() in _common_passwords():
        raise ValidationFailed({field: "This password is too common; choose another."})
