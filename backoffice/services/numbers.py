"""Phone numbers: Intrlume's pool, and assigning numbers to organizations and back."""

import phonenumbers

from ..clock import utcnow
from ..db import locked
from ..models import Organization, PhoneNumber
from ..models.numbers import NUMBER_DIRECTIONS
from .base import Actor, audit, operation
from .errors import Conflict, ValidationFailed

MAX_MONTHLY_COST = 10_000_000


def normalize_number(raw: str) -> str:
    """A valid phone number in E.164 form (+14155550123); refuses anything else."""
    text = (raw or "").strip()
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed(
            {"number": "Enter the number in E.164 form, e.g. +14155550123."}
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationFailed({"number": f"{text} is not a valid phone number."})
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def free_numbers(direction: str | None = None):
    """The pool: numbers not assigned to any organization; those of `direction` first."""
    query = PhoneNumber.select().where(PhoneNumber.organization.is_null())
    if direction in NUMBER_DIRECTIONS:
        return query.order_by(PhoneNumber.direction != direction, PhoneNumber.number)
    return query.order_by(PhoneNumber.number)


def _locked_number(number: PhoneNumber) -> PhoneNumber:
    return locked(PhoneNumber.select().where(PhoneNumber.id == number.id)).get()


@operation
def add_number(actor: Actor, number: str, direction: str, monthly_cost) -> PhoneNumber:
    """Put a new number into the pool."""
    errors = {}
    try:
        number = normalize_number(number)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if direction not in NUMBER_DIRECTIONS:
        errors["direction"] = "Choose inbound or outbound."
    valid_cost = isinstance(monthly_cost, int) and not isinstance(monthly_cost, bool)
    if not valid_cost or not 0 <= monthly_cost <= MAX_MONTHLY_COST:
        errors["monthly_cost"] = "Enter the monthly cost as a whole number of credits (0 or more)."
    if errors:
        raise ValidationFailed(errors)
    if PhoneNumber.select().where(PhoneNumber.number == number).exists():
        raise Conflict(f"{number} is already in the console.", field="number")
    phone = PhoneNumber.create(number=number, direction=direction, monthly_cost=monthly_cost)
    audit(
        actor,
        "number.added",
        target=phone,
        after={"number": number, "direction": direction, "monthly_cost": monthly_cost},
    )
    return phone


@operation
def assign_number(actor: Actor, number: PhoneNumber, organization: Organization) -> PhoneNumber:
    """Give a number from the pool to an organization; a taken number is refused."""
    if number is None:
        raise ValidationFailed({"number": "Choose a number from the pool."})
    number = _locked_number(number)
    if number.organization_id is not None:
        raise Conflict(
            f"{number.number} is already assigned to another organization.", field="number"
        )
    number.organization = organization
    number.assigned_at = utcnow()
    number.released_at = None
    number.save()
    audit(
        actor,
        "number.assigned",
        organization,
        number,
        after={"number": number.number, "direction": number.direction},
    )
    return number


@operation
def release_number(
    actor: Actor, number: PhoneNumber, organization: Organization | None = None
) -> PhoneNumber:
    """Return a number to the pool; with organization given, only that organization's number."""
    if number is None:
        raise ValidationFailed({"number": "Choose the number to release."})
    number = _locked_number(number)
    owner_id = number.organization_id
    if owner_id is None:
        raise Conflict(f"{number.number} is already in the pool.", field="number")
    if organization is not None and owner_id != organization.id:
        raise Conflict(f"{number.number} is not assigned to {organization.name}.", field="number")
    number.organization = None
    number.released_at = utcnow()
    number.save()
    audit(
        actor,
        "number.released",
        Organization.get_by_id(owner_id),
        number,
        before={"number": number.number, "organization": owner_id},
    )
    return number
