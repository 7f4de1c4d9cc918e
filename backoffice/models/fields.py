"""Field types shared by the models."""

import json
import secrets
import string

from peewee import CharField, TextField

BASE62 = string.digits + string.ascii_letters


def to_base62(number: int, length: int) -> str:
    """number written in `length` base-62 digits (most significant first)."""
    digits = []
    for _ in range(length):
        number, digit = divmod(number, 62)
        digits.append(BASE62[digit])
    return "".join(reversed(digits))


def random_base62(length: int) -> str:
    """A uniformly random base-62 string from the operating system's CSPRNG."""
    return to_base62(secrets.randbelow(62**length), length)


def new_public_id(prefix: str) -> str:
    """A public identifier such as `org_4fZk…`: never the autoincrement key."""
    return f"{prefix}_{random_base62(16)}"


class EmailField(CharField):
    """Stores addresses lower-cased so the unique constraint holds in any case."""

    def db_value(self, value):
        return value.strip().lower() if isinstance(value, str) else value


class JSONField(TextField):
    """JSON in a text column, the same on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, sort_keys=True, default=str)

    def python_value(self, value):
        return None if value is None else json.loads(value)
